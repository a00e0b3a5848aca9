import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportLimits } from './limits.js';
import type { Logger } from './logger.js';
import { TcpTransport } from './tcp-transport.js';
import type { Endpoint } from './flow.js';
import type { DropReport, Received } from './transport.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const MESSAGE = 'OPTIONS sip:nm SIP/2.0\r\nCall-ID: 50000\r\nContent-Length: 0\r\n\r\n';

async function listening(limits: Partial<TransportLimits>, listen: Endpoint[] = [{ address: '127.0.0.1', port: 0 }], extra: { onMessage?: (m: Received) => void; logger?: Logger } = {}) {
  const messages: Received[] = [];
  const drops: DropReport[] = [];
  const transport = new TcpTransport({
    listen,
    limits,
    onMessage: extra.onMessage ?? ((m) => messages.push(m)),
    onDrop: (d) => drops.push(d),
    logger: extra.logger,
  });
  await transport.listen();
  closers.push(() => transport.close());
  return { transport, messages, drops, port: transport.address().port };
}

async function client(port: number, host = '127.0.0.1') {
  const socket: Socket = connect({ host, port, noDelay: true });
  socket.on('error', () => {});
  socket.resume();
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  closers.push(() => socket.destroy());
  return { socket, closed, isClosed: () => isClosed };
}

describe('StreamTransport connection limits', () => {
  it('refuses connections over the per-source limit, reports them, and frees the slot on close', async () => {
    const server = await listening({ maxConnectionsPerSource: 2 });
    const a = await client(server.port);
    const b = await client(server.port);
    await waitFor(() => server.transport.connectionCount === 2);
    const c = await client(server.port);
    await c.closed;
    expect(server.drops.map((d) => d.reason)).toEqual(['too-many-connections']);
    expect(server.drops[0]!.flow.remote.address).toBe('127.0.0.1');
    expect(a.isClosed() || b.isClosed()).toBe(false);

    a.socket.destroy();
    await waitFor(() => server.transport.connectionCount === 1);
    const d = await client(server.port);
    d.socket.write(MESSAGE);
    await waitFor(() => server.messages.length === 1);
    expect(d.isClosed()).toBe(false);
  });

  it('counts sources per address: IPv4 and IPv6 clients of a dual-stack listener are separate sources', async () => {
    const server = await listening({ maxConnectionsPerSource: 1 }, [{ address: '::', port: 0 }]);
    const v4 = await client(server.port, '127.0.0.1');
    const v6 = await client(server.port, '::1');
    v4.socket.write(MESSAGE);
    v6.socket.write(MESSAGE);
    await waitFor(() => server.messages.length === 2);
    // The IPv4 peer of the dual-stack socket shows as plain IPv4, not ::ffff:127.0.0.1.
    expect(server.messages.map((m) => m.flow.remote.address).sort()).toEqual(['127.0.0.1', '::1']);
    const again = await client(server.port, '127.0.0.1');
    await again.closed;
    expect(server.drops.map((d) => d.reason)).toEqual(['too-many-connections']);
  });

  it('refuses connections over the total limit', async () => {
    const server = await listening({ maxConnections: 2, maxConnectionsPerSource: 10 });
    await client(server.port);
    await client(server.port);
    await waitFor(() => server.transport.connectionCount === 2);
    const third = await client(server.port);
    await third.closed;
    expect(server.drops.map((d) => d.reason)).toEqual(['too-many-connections']);
    expect(server.drops[0]!.detail).toContain('limit 2');
  });
});

describe('StreamTransport robustness', () => {
  it('survives a connection reset by the peer (a socket error never crashes) and keeps serving', async () => {
    const logged: unknown[] = [];
    const logger: Logger = { debug: (_m, fields) => logged.push(fields?.['error']), info() {}, warn() {}, error() {} };
    const server = await listening({}, undefined, { logger });
    const rude = await client(server.port);
    rude.socket.write(MESSAGE.slice(0, 20));
    await waitFor(() => server.transport.connectionCount === 1);
    await sleep(50); // let the server read the bytes, so the RST arrives on its own as ECONNRESET
    rude.socket.resetAndDestroy();
    await waitFor(() => server.transport.connectionCount === 0);
    expect(logged.some((e) => String(e).includes('ECONNRESET'))).toBe(true);
    const polite = await client(server.port);
    polite.socket.write(MESSAGE);
    await waitFor(() => server.messages.length === 1);
  });

  it('catches an exception thrown by the onMessage hook, logs it, and keeps the connection', async () => {
    const errors: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (msg) => errors.push(msg) };
    let calls = 0;
    const server = await listening({}, undefined, {
      logger,
      onMessage: () => {
        calls++;
        throw new Error('consumer bug');
      },
    });
    const c = await client(server.port);
    c.socket.write(MESSAGE + MESSAGE);
    await waitFor(() => calls === 2);
    expect(errors).toEqual(['transport onMessage hook threw', 'transport onMessage hook threw']);
    expect(c.isClosed()).toBe(false);
  });

  it('close() closes every connection and stops listening', async () => {
    const server = await listening({});
    const c = await client(server.port);
    await waitFor(() => server.transport.connectionCount === 1);
    await server.transport.close();
    await c.closed;
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: server.port });
      s.on('error', () => resolve(true));
      s.on('connect', () => {
        s.destroy();
        resolve(false);
      });
    });
    expect(refused).toBe(true);
  });
});
