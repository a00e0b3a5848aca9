import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint } from './flow.js';
import type { TransportLimits } from './limits.js';
import { TransportError } from './transport-error.js';
import type { DropReport, KeepAliveReport, Received } from './transport.js';
import { UDP_RECEIVE_BUFFER, UdpTransport } from './udp-transport.js';

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

const OPTIONS = 'OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n';
const OK = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';

async function udp(listen: Endpoint[], limits: Partial<TransportLimits> = {}) {
  const messages: Received[] = [];
  const drops: DropReport[] = [];
  const keepalives: KeepAliveReport[] = [];
  const transport = new UdpTransport({
    listen,
    limits,
    onMessage: (m) => messages.push(m),
    onDrop: (d) => drops.push(d),
    onKeepAlive: (k) => keepalives.push(k),
  });
  await transport.listen();
  closers.push(() => transport.close());
  return { transport, messages, drops, keepalives };
}

describe('UdpTransport', () => {
  it('round-trips over IPv4: a request arrives with its Flow, the reply goes back on that flow', async () => {
    const guard = await udp([{ address: '127.0.0.1', port: 0 }]);
    const phone = await udp([{ address: '127.0.0.1', port: 0 }]);
    await phone.transport.send({ transport: 'udp', ...guard.transport.address() }, Buffer.from(OPTIONS));
    await waitFor(() => guard.messages.length === 1);
    const { data, flow } = guard.messages[0]!;
    expect(data.toString('latin1')).toBe(OPTIONS);
    expect(flow).toMatchObject({ transport: 'udp', local: guard.transport.address(), remote: phone.transport.address() });
    await guard.transport.send(flow, Buffer.from(OK));
    await waitFor(() => phone.messages.length === 1);
    expect(phone.messages[0]!.data.toString('latin1')).toBe(OK);
    expect(phone.messages[0]!.flow.remote).toEqual(guard.transport.address());
  });

  it('asks for a deep receive buffer (the kernel grants up to net.core.rmem_max, doubled), and logs what it got', async () => {
    const lines: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
    const record = (message: string, fields?: Record<string, unknown>): void => void lines.push({ message, fields });
    const logger = { debug: record, info: record, warn: record, error: record };
    const transport = new UdpTransport({ listen: [{ address: '127.0.0.1', port: 0 }], logger, onMessage: () => {} });
    await transport.listen();
    closers.push(() => transport.close());
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    const line = lines.find((l) => l.message === 'udp receive buffer');
    expect(line?.fields).toMatchObject({ asked: UDP_RECEIVE_BUFFER });
    expect(line?.fields?.['granted']).toBe(2 * Math.min(UDP_RECEIVE_BUFFER, rmemMax));
  });

  it('round-trips over IPv6 (::1)', async () => {
    const guard = await udp([{ address: '::1', port: 0 }]);
    const phone = await udp([{ address: '::1', port: 0 }]);
    await phone.transport.send({ transport: 'udp', address: '::1', port: guard.transport.address().port }, Buffer.from(OPTIONS));
    await waitFor(() => guard.messages.length === 1);
    expect(guard.messages[0]!.flow.remote).toEqual(phone.transport.address());
    await guard.transport.send(guard.messages[0]!.flow, Buffer.from(OK));
    await waitFor(() => phone.messages.length === 1);
  });

  it('listens on several addresses, one socket each, and replies from the socket the request came to', async () => {
    const guard = await udp([
      { address: '127.0.0.1', port: 0 },
      { address: '::1', port: 0 },
    ]);
    expect(guard.transport.addresses()).toHaveLength(2);
    const phone = await udp([{ address: '::1', port: 0 }]);
    await phone.transport.send({ transport: 'udp', ...guard.transport.addresses()[1]! }, Buffer.from(OPTIONS));
    await waitFor(() => guard.messages.length === 1);
    await guard.transport.send(guard.messages[0]!.flow, Buffer.from(OK));
    await waitFor(() => phone.messages.length === 1);
    expect(phone.messages[0]!.flow.remote).toEqual(guard.transport.addresses()[1]);
  });

  it('a dual-stack :: socket reports IPv4 peers as plain IPv4 and can reply to them', async () => {
    const guard = await udp([{ address: '::', port: 0 }]);
    const phone = await udp([{ address: '127.0.0.1', port: 0 }]);
    await phone.transport.send({ transport: 'udp', address: '127.0.0.1', port: guard.transport.address().port }, Buffer.from(OPTIONS));
    await waitFor(() => guard.messages.length === 1);
    expect(guard.messages[0]!.flow.remote.address).toBe('127.0.0.1');
    await guard.transport.send(guard.messages[0]!.flow, Buffer.from(OK));
    await waitFor(() => phone.messages.length === 1);
  });

  it('consumes a lone CRLF and a CRLFCRLF ping as keep-alives, never as messages', async () => {
    const guard = await udp([{ address: '127.0.0.1', port: 0 }]);
    const raw = createSocket('udp4');
    closers.push(() => new Promise<void>((resolve) => raw.close(() => resolve())));
    const port = guard.transport.address().port;
    raw.send('\r\n', port, '127.0.0.1');
    raw.send('\r\n\r\n', port, '127.0.0.1');
    raw.send(OPTIONS, port, '127.0.0.1');
    await waitFor(() => guard.messages.length === 1 && guard.keepalives.length === 2);
    expect(guard.keepalives.map((k) => k.kind).sort()).toEqual(['crlf', 'ping']);
    expect(guard.messages[0]!.data.toString('latin1')).toBe(OPTIONS);
  });

  it('drops and reports datagrams over the maximum size, with a short excerpt', async () => {
    const guard = await udp([{ address: '127.0.0.1', port: 0 }], { maxMessageSize: 200 });
    const raw = createSocket('udp4');
    closers.push(() => new Promise<void>((resolve) => raw.close(() => resolve())));
    raw.send(OPTIONS + 'x'.repeat(300), guard.transport.address().port, '127.0.0.1');
    await waitFor(() => guard.drops.length === 1);
    expect(guard.drops[0]!.reason).toBe('too-large');
    expect(guard.drops[0]!.excerpt).toBe('OPTIONS sip:100@127.0.0.1 SIP/2.0\\r\\nUser-Agent: f…');
    expect(guard.messages).toHaveLength(0);
  });

  it('rejects sends of another transport kind, to an unreachable family, to a bad port, and after close', async () => {
    const guard = await udp([{ address: '127.0.0.1', port: 0 }]);
    const wrong = await guard.transport.send({ transport: 'tcp', address: '127.0.0.1', port: 9 }, Buffer.from('x')).catch((e: unknown) => e);
    expect((wrong as TransportError).code).toBe('TRANSPORT_WRONG_KIND');
    const v6 = await guard.transport.send({ transport: 'udp', address: '::1', port: 9 }, Buffer.from('x')).catch((e: unknown) => e);
    expect((v6 as TransportError).code).toBe('TRANSPORT_NO_ROUTE');
    const badPort = await guard.transport.send({ transport: 'udp', address: '127.0.0.1', port: 70_000 }, Buffer.from('x')).catch((e: unknown) => e);
    expect((badPort as TransportError).code).toBe('TRANSPORT_SEND_FAILED');
    await guard.transport.close();
    const closed = await guard.transport.send({ transport: 'udp', address: '127.0.0.1', port: 9 }, Buffer.from('x')).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(TransportError);
    expect((closed as TransportError).code).toBe('TRANSPORT_CLOSED');
  });

  it('rejects listen() when the address is taken, and closes what it opened', async () => {
    const first = await udp([{ address: '127.0.0.1', port: 0 }]);
    const second = new UdpTransport({ listen: [first.transport.address()], onMessage: () => {} });
    await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
  });
});
