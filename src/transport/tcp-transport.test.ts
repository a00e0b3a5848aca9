import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpTransport } from './tcp-transport.js';
import { TransportError } from './transport-error.js';
import type { DropReport, KeepAliveReport, Received, TransportOptions } from './transport.js';

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

function sip(id: string, body = ''): string {
  return (
    `OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK${id}\r\n` +
    `Call-ID: ${id}\r\nCSeq: 1 OPTIONS\r\nContent-Length: ${body.length}\r\n\r\n${body}`
  );
}

async function listening(options: Partial<TransportOptions> = {}) {
  const messages: Received[] = [];
  const drops: DropReport[] = [];
  const keepalives: KeepAliveReport[] = [];
  const transport = new TcpTransport({
    listen: [{ address: '127.0.0.1', port: 0 }],
    onMessage: (m) => messages.push(m),
    onDrop: (d) => drops.push(d),
    onKeepAlive: (k) => keepalives.push(k),
    ...options,
  });
  await transport.listen();
  closers.push(() => transport.close());
  return { transport, messages, drops, keepalives, port: transport.address().port };
}

/** A raw client socket, to control exactly which bytes go out in which write. */
async function client(port: number, host = '127.0.0.1') {
  const socket: Socket = connect({ host, port, noDelay: true });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  closers.push(() => socket.destroy());
  return { socket, closed, text: () => Buffer.concat(chunks).toString('latin1') };
}

describe('TcpTransport framing (RFC 3261 §18.3)', () => {
  it('delivers a message split across segments, byte by byte, once and whole', async () => {
    const server = await listening();
    const c = await client(server.port);
    const text = sip('bytewise', 'v=0\r\n');
    for (const byte of Buffer.from(text, 'latin1')) {
      c.socket.write(Buffer.of(byte));
      await sleep(1);
    }
    await waitFor(() => server.messages.length === 1);
    await sleep(20);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]!.data.toString('latin1')).toBe(text);
  });

  it('delivers several messages packed into one segment, in order, each with its Content-Length body', async () => {
    const server = await listening();
    const c = await client(server.port);
    const texts = [sip('a', 'one'), sip('b'), sip('c', 'v=0\r\n\r\nbody with an empty line')];
    c.socket.write(texts.join(''));
    await waitFor(() => server.messages.length === 3);
    expect(server.messages.map((m) => m.data.toString('latin1'))).toEqual(texts);
  });

  it('delivers messages whose boundaries fall inside segments', async () => {
    const server = await listening();
    const c = await client(server.port);
    const stream = Buffer.from(sip('x', '12345') + sip('y', 'abc') + sip('z'), 'latin1');
    for (let i = 0; i < stream.length; i += 37) {
      c.socket.write(stream.subarray(i, i + 37));
      await sleep(1);
    }
    await waitFor(() => server.messages.length === 3);
    expect(Buffer.concat(server.messages.map((m) => m.data)).equals(stream)).toBe(true);
  });

  it('gives each message its Flow (transport, local and remote address and port) and a receive time', async () => {
    const server = await listening({ now: () => 1_234 });
    const c = await client(server.port);
    c.socket.write(sip('flow'));
    await waitFor(() => server.messages.length === 1);
    const { flow, receivedAt } = server.messages[0]!;
    expect(receivedAt).toBe(1_234);
    expect(flow.transport).toBe('tcp');
    expect(flow.local).toEqual({ address: '127.0.0.1', port: server.port });
    expect(flow.remote).toEqual({ address: '127.0.0.1', port: c.socket.localPort });
  });

  it('refuses a message without Content-Length (RFC 3261 §18.3) and closes the connection', async () => {
    const server = await listening();
    const c = await client(server.port);
    c.socket.write('OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nCall-ID: x\r\n\r\n');
    await c.closed;
    expect(server.messages).toHaveLength(0);
    expect(server.drops.map((d) => d.reason)).toEqual(['bad-framing']);
    expect(server.drops[0]!.detail).toContain('SIP_BAD_CONTENT_LENGTH');
    expect(server.drops[0]!.excerpt).toMatch(/^OPTIONS sip:bob@127\.0\.0\.1 SIP\/2\.0\\r\\n/);
  });
});

describe('TcpTransport keep-alive (RFC 5626 §3.5.1)', () => {
  it('answers a CRLFCRLF ping with a CRLF pong and delivers no message', async () => {
    const server = await listening();
    const c = await client(server.port);
    c.socket.write('\r\n\r\n');
    await waitFor(() => c.text() === '\r\n');
    expect(server.keepalives.map((k) => k.kind)).toEqual(['ping']);
    expect(server.messages).toHaveLength(0);
  });

  it('answers a ping whose two CRLFs arrive in separate segments', async () => {
    const server = await listening();
    const c = await client(server.port);
    c.socket.write('\r\n');
    await waitFor(() => server.keepalives.length === 1);
    c.socket.write('\r\n');
    await waitFor(() => c.text() === '\r\n');
  });

  it('ignores CRLFs before a start line and still frames the message after them', async () => {
    const server = await listening();
    const c = await client(server.port);
    c.socket.write('\r\n\r\n' + sip('after-ping'));
    await waitFor(() => server.messages.length === 1);
    expect(server.messages[0]!.data.toString('latin1')).toBe(sip('after-ping'));
  });

  it('on a connection it opened, reports a lone CRLF from the server as a pong', async () => {
    const server = await listening();
    const pongs: KeepAliveReport[] = [];
    const phone = new TcpTransport({ listen: [], onMessage: () => {}, onKeepAlive: (k) => pongs.push(k) });
    await phone.listen();
    closers.push(() => phone.close());
    await phone.send({ transport: 'tcp', address: '127.0.0.1', port: server.port }, Buffer.from('\r\n\r\n'));
    await waitFor(() => pongs.length === 1);
    expect(pongs[0]!.kind).toBe('pong');
    expect(server.keepalives[0]!.kind).toBe('ping');
  });
});

describe('TcpTransport sending (RFC 3261 §18.1.1, §18.2.2)', () => {
  it('sends a reply over the connection the request arrived on', async () => {
    const server = await listening();
    const c = await client(server.port);
    c.socket.write(sip('req'));
    await waitFor(() => server.messages.length === 1);
    await server.transport.send(server.messages[0]!.flow, Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
    await waitFor(() => c.text().startsWith('SIP/2.0 200 OK'));
  });

  it('connects when there is no connection, then reuses it both ways', async () => {
    const server = await listening();
    const phoneMessages: Received[] = [];
    const phone = new TcpTransport({ listen: [{ address: '127.0.0.1', port: 0 }], onMessage: (m) => phoneMessages.push(m) });
    await phone.listen();
    closers.push(() => phone.close());
    const to = { transport: 'tcp' as const, address: '127.0.0.1', port: server.port };
    await Promise.all([phone.send(to, Buffer.from(sip('1'))), phone.send(to, Buffer.from(sip('2'))), phone.send(to, Buffer.from(sip('3')))]);
    await waitFor(() => server.messages.length === 3);
    expect(phone.connectionCount).toBe(1);
    expect(new Set(server.messages.map((m) => m.flow.id)).size).toBe(1);
    await server.transport.send(server.messages[0]!.flow, Buffer.from(sip('reply')));
    await waitFor(() => phoneMessages.length === 1);
    expect(phoneMessages[0]!.flow.remote).toEqual({ address: '127.0.0.1', port: server.port });
    await phone.send(phoneMessages[0]!.flow, Buffer.from(sip('4')));
    await waitFor(() => server.messages.length === 4);
    expect(phone.connectionCount).toBe(1);
    expect(server.transport.connectionCount).toBe(1);
  });

  it('rejects with TRANSPORT_CONNECT_FAILED when nobody listens or the port is invalid, and with TRANSPORT_WRONG_KIND for udp', async () => {
    const spare = createServer();
    const port = await new Promise<number>((resolve) => spare.listen(0, '127.0.0.1', () => resolve((spare.address() as { port: number }).port)));
    await new Promise((resolve) => spare.close(resolve));
    const { transport } = await listening();
    const refused = await transport.send({ transport: 'tcp', address: '127.0.0.1', port }, Buffer.from('x')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).code).toBe('TRANSPORT_CONNECT_FAILED');
    const badPort = await transport.send({ transport: 'tcp', address: '127.0.0.1', port: 70_000 }, Buffer.from('x')).catch((e: unknown) => e);
    expect((badPort as TransportError).code).toBe('TRANSPORT_CONNECT_FAILED');
    const wrong = await transport.send({ transport: 'udp', address: '127.0.0.1', port }, Buffer.from('x')).catch((e: unknown) => e);
    expect((wrong as TransportError).code).toBe('TRANSPORT_WRONG_KIND');
  });

  it('listens on IPv6 (::1) as well', async () => {
    const server = await listening({ listen: [{ address: '::1', port: 0 }] });
    const c = await client(server.port, '::1');
    c.socket.write(sip('v6'));
    await waitFor(() => server.messages.length === 1);
    expect(server.messages[0]!.flow.remote.address).toBe('::1');
  });

  it('rejects sends after close()', async () => {
    const { transport } = await listening();
    await transport.close();
    const err = await transport.send({ transport: 'tcp', address: '127.0.0.1', port: 9 }, Buffer.from('x')).catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('TRANSPORT_CLOSED');
  });
});
