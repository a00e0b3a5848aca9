import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportLimits } from './limits.js';
import { TcpTransport } from './tcp-transport.js';
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

const HEAD = 'INVITE sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKslow\r\nFrom: "sipvicious"<sip:100@1.1.1.1>;tag=1\r\n';

async function listening(limits: Partial<TransportLimits>) {
  const messages: Received[] = [];
  const drops: DropReport[] = [];
  const transport = new TcpTransport({
    listen: [{ address: '127.0.0.1', port: 0 }],
    limits,
    onMessage: (m) => messages.push(m),
    onDrop: (d) => drops.push(d),
  });
  await transport.listen();
  closers.push(() => transport.close());
  return { transport, messages, drops, port: transport.address().port };
}

async function client(port: number) {
  const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
  socket.on('error', () => {});
  socket.resume(); // read and discard (pongs), so that the end of the stream is seen
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

describe('StreamConnection limits', () => {
  it('cuts off a slow sender that never finishes its message (slowloris)', async () => {
    const server = await listening({ messageTimeoutMs: 200 });
    const c = await client(server.port);
    const started = Date.now();
    c.socket.write(HEAD);
    // Keep trickling header bytes: traffic, but the message never completes.
    const trickle = setInterval(() => c.socket.write('X'), 40);
    closers.push(() => clearInterval(trickle));
    await c.closed;
    clearInterval(trickle);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(1_500);
    expect(server.drops.map((d) => d.reason)).toEqual(['slow']);
    expect(server.drops[0]!.excerpt.startsWith('INVITE sip:100@127.0.0.1 SIP/2.0\\r\\n')).toBe(true);
    expect(server.drops[0]!.excerpt.length).toBeLessThan(60);
    expect(server.messages).toHaveLength(0);
  });

  it('gives each message the full time: a steady sender of complete messages is not cut off', async () => {
    const server = await listening({ messageTimeoutMs: 300 });
    const c = await client(server.port);
    const message = HEAD + 'Content-Length: 0\r\n\r\n';
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      c.socket.write(message.slice(0, 40));
      await sleep(20);
      c.socket.write(message.slice(40));
      await sleep(20);
    }
    await waitFor(() => server.messages.length === 10);
    // Longer in total than the timeout: only a per-message timer lets this connection live.
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(c.isClosed()).toBe(false);
    expect(server.drops).toHaveLength(0);
  });

  it('refuses an oversize message as soon as its declared Content-Length exceeds the limit, and closes', async () => {
    const server = await listening({ maxMessageSize: 1_000 });
    const c = await client(server.port);
    c.socket.write(HEAD + 'Content-Length: 5000\r\n\r\n' + 'x'.repeat(100));
    await c.closed;
    expect(server.drops.map((d) => d.reason)).toEqual(['too-large']);
    expect(server.drops[0]!.detail).toContain('SIP_TOO_LARGE');
    expect(server.messages).toHaveLength(0);
  });

  it('refuses headers that grow past the limit without ending, and closes (bounded buffering)', async () => {
    const server = await listening({ maxMessageSize: 1_000 });
    const c = await client(server.port);
    c.socket.write(HEAD);
    for (let i = 0; i < 10 && !c.isClosed(); i++) {
      c.socket.write('X-Pad: ' + 'a'.repeat(200) + '\r\n');
      await sleep(2);
    }
    await c.closed;
    expect(server.drops.map((d) => d.reason)).toEqual(['too-large']);
  });

  it('closes an idle connection, and a CRLF keep-alive counts as traffic (RFC 5626 §3.5.1)', async () => {
    const server = await listening({ idleTimeoutMs: 300 });
    const quiet = await client(server.port);
    const pinger = await client(server.port);
    const ping = setInterval(() => pinger.socket.write('\r\n\r\n'), 50);
    closers.push(() => clearInterval(ping));
    await quiet.closed;
    await sleep(300);
    expect(pinger.isClosed()).toBe(false);
    clearInterval(ping);
    await pinger.closed;
    expect(server.drops.map((d) => d.reason)).toEqual(['idle', 'idle']);
  });

  it('reports a message cut short by the peer closing the connection', async () => {
    const server = await listening({});
    const c = await client(server.port);
    c.socket.end(HEAD + 'Content-Length: 10\r\n\r\nabc');
    await waitFor(() => server.drops.length === 1);
    expect(server.drops[0]!.reason).toBe('truncated');
    expect(server.drops[0]!.excerpt).toContain('INVITE');
  });
});
