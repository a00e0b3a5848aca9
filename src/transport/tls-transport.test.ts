import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportLimits } from './limits.js';
import { TlsTransport } from './tls-transport.js';
import type { TransportError } from './transport-error.js';
import type { DropReport, KeepAliveReport, Received } from './transport.js';

// Test-only self-signed certificate for localhost, 127.0.0.1 and ::1 (see test/fixtures/tls/README.md).
const CERT = fileURLToPath(new URL('../../test/fixtures/tls/cert.pem', import.meta.url));
const KEY = fileURLToPath(new URL('../../test/fixtures/tls/key.pem', import.meta.url));

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const REGISTER =
  'REGISTER sips:guard.test SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKtls\r\n' +
  'Contact: <sips:alice@127.0.0.1>\r\nContent-Length: 4\r\n\r\nbody';

async function tls(options: { address?: string; limits?: Partial<TransportLimits>; ca?: boolean; listen?: boolean } = {}) {
  const messages: Received[] = [];
  const drops: DropReport[] = [];
  const keepalives: KeepAliveReport[] = [];
  const transport = new TlsTransport({
    listen: options.listen === false ? [] : [{ address: options.address ?? '127.0.0.1', port: 0 }],
    limits: options.limits,
    tls: { cert: CERT, key: readFileSync(KEY), ...(options.ca === false ? {} : { ca: CERT }) },
    onMessage: (m) => messages.push(m),
    onDrop: (d) => drops.push(d),
    onKeepAlive: (k) => keepalives.push(k),
  });
  await transport.listen();
  closers.push(() => transport.close());
  return { transport, messages, drops, keepalives };
}

describe('TlsTransport (RFC 3261 §26.3.1)', () => {
  it('round-trips with a self-signed certificate: request in, reply back on the same TLS connection', async () => {
    const guard = await tls();
    const phone = await tls({ listen: false });
    await phone.transport.send({ transport: 'tls', ...guard.transport.address() }, Buffer.from(REGISTER));
    await waitFor(() => guard.messages.length === 1);
    const { data, flow } = guard.messages[0]!;
    expect(data.toString('latin1')).toBe(REGISTER);
    expect(flow.transport).toBe('tls');
    await guard.transport.send(flow, Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
    await waitFor(() => phone.messages.length === 1);
    expect(phone.messages[0]!.flow.remote).toEqual(guard.transport.address());
    expect(phone.transport.connectionCount).toBe(1);
  });

  it('round-trips over IPv6 (::1), verifying the certificate against the IPv6 address', async () => {
    const guard = await tls({ address: '::1' });
    const phone = await tls({ listen: false });
    await phone.transport.send({ transport: 'tls', address: '::1', port: guard.transport.address().port }, Buffer.from(REGISTER));
    await waitFor(() => guard.messages.length === 1);
    expect(guard.messages[0]!.flow.remote.address).toBe('::1');
  });

  it('verifies the server certificate: without the test CA the connection is refused', async () => {
    const guard = await tls();
    const stranger = await tls({ listen: false, ca: false });
    const err = await stranger.transport.send({ transport: 'tls', ...guard.transport.address() }, Buffer.from(REGISTER)).catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('TRANSPORT_CONNECT_FAILED');
    expect(guard.messages).toHaveLength(0);
  });

  it('answers a CRLFCRLF ping with a pong inside TLS (RFC 5626 §3.5.1)', async () => {
    const guard = await tls();
    const phone = await tls({ listen: false });
    await phone.transport.send({ transport: 'tls', ...guard.transport.address() }, Buffer.from('\r\n\r\n'));
    await waitFor(() => phone.keepalives.length === 1);
    expect(phone.keepalives[0]!.kind).toBe('pong');
    expect(guard.keepalives[0]!.kind).toBe('ping');
  });

  it('reports a plain-text scanner on the TLS port as a failed handshake and closes', async () => {
    const guard = await tls();
    const socket = tcpConnect(guard.transport.address());
    socket.on('error', () => {});
    socket.resume();
    closers.push(() => socket.destroy());
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nUser-Agent: friendly-scanner\r\n\r\n');
    await closed;
    expect(guard.drops.map((d) => d.reason)).toEqual(['tls-handshake']);
    expect(guard.messages).toHaveLength(0);
  });

  it('cuts off a client that opens TCP but never completes the handshake', async () => {
    const guard = await tls({ limits: { messageTimeoutMs: 200 } });
    const socket = tcpConnect(guard.transport.address());
    socket.on('error', () => {});
    closers.push(() => socket.destroy());
    const started = Date.now();
    await new Promise((resolve) => socket.on('close', resolve));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(guard.drops.map((d) => d.reason)).toEqual(['slow']);
    expect(guard.drops[0]!.detail).toContain('TLS handshake');
    await waitFor(() => guard.transport.connectionCount === 0);
  });

  it('closes an idle TLS connection', async () => {
    const guard = await tls({ limits: { idleTimeoutMs: 200 } });
    const phone = await tls({ listen: false });
    await phone.transport.send({ transport: 'tls', ...guard.transport.address() }, Buffer.from(REGISTER));
    await waitFor(() => guard.drops.length === 1);
    expect(guard.drops[0]!.reason).toBe('idle');
    expect(guard.messages).toHaveLength(1);
    await waitFor(() => phone.transport.connectionCount === 0);
  });

  it('applies the per-source connection limit before any TLS work', async () => {
    const guard = await tls({ limits: { maxConnectionsPerSource: 1 } });
    const first = tcpConnect(guard.transport.address());
    first.on('error', () => {});
    closers.push(() => first.destroy());
    await new Promise((resolve) => first.once('connect', resolve));
    await waitFor(() => guard.transport.connectionCount === 1);
    const second = tcpConnect(guard.transport.address());
    second.on('error', () => {});
    closers.push(() => second.destroy());
    await new Promise((resolve) => second.on('close', resolve));
    expect(guard.drops.map((d) => d.reason)).toEqual(['too-many-connections']);
  });
});
