import { describe, expect, it } from 'vitest';
import { LoopNetwork } from './loop-transport.js';
import type { TransportError } from './transport-error.js';
import type { DropReport, KeepAliveReport, Received } from './transport.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, ms = 1_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(1);
  }
}

async function node(network: LoopNetwork, address: string, port = 5060, maxMessageSize?: number) {
  const messages: Received[] = [];
  const drops: DropReport[] = [];
  const keepalives: KeepAliveReport[] = [];
  const transport = network.endpoint({
    listen: { address, port },
    limits: { maxMessageSize },
    onMessage: (m) => messages.push(m),
    onDrop: (d) => drops.push(d),
    onKeepAlive: (k) => keepalives.push(k),
  });
  await transport.listen();
  return { transport, messages, drops, keepalives };
}

describe('LoopTransport', () => {
  it('exchanges messages between endpoints without sockets, each with its loop Flow', async () => {
    const net = new LoopNetwork();
    const phone = await node(net, '10.77.0.10');
    const guard = await node(net, '10.77.0.1');
    await phone.transport.send({ transport: 'udp', address: '10.77.0.1', port: 5060 }, Buffer.from('REGISTER'));
    await waitFor(() => guard.messages.length === 1);
    const { flow, data } = guard.messages[0]!;
    expect(data.toString()).toBe('REGISTER');
    expect(flow).toMatchObject({ transport: 'loop', local: { address: '10.77.0.1', port: 5060 }, remote: { address: '10.77.0.10', port: 5060 } });
    await guard.transport.send(flow, Buffer.from('200 OK'));
    await waitFor(() => phone.messages.length === 1);
    expect(phone.messages[0]!.flow.remote).toEqual({ address: '10.77.0.1', port: 5060 });
  });

  it('delivers asynchronously, in send order, and copies the bytes', async () => {
    const net = new LoopNetwork();
    const a = await node(net, 'a');
    const b = await node(net, 'b');
    const bytes = Buffer.from('one');
    await a.transport.send({ transport: 'loop', address: 'b', port: 5060 }, bytes);
    await a.transport.send({ transport: 'loop', address: 'b', port: 5060 }, Buffer.from('two'));
    bytes.write('XXX');
    expect(b.messages).toHaveLength(0); // not inside the sender's call stack
    await waitFor(() => b.messages.length === 2);
    expect(b.messages.map((m) => m.data.toString())).toEqual(['one', 'two']);
  });

  it('lets three or more endpoints share one network, with automatic ports', async () => {
    const net = new LoopNetwork();
    const guard = await node(net, '192.0.2.30', 0);
    const scanners = await Promise.all([node(net, '198.51.100.66', 0), node(net, '198.51.100.67', 0)]);
    expect(guard.transport.address().port).toBeGreaterThanOrEqual(40_000);
    for (const s of scanners) await s.transport.send({ transport: 'udp', ...guard.transport.address() }, Buffer.from('INVITE'));
    await waitFor(() => guard.messages.length === 2);
    expect(guard.messages.map((m) => m.flow.remote.address).sort()).toEqual(['198.51.100.66', '198.51.100.67']);
  });

  it('counts and reports messages sent to nobody, or to an endpoint that closed before delivery', async () => {
    const lost: number[] = [];
    const net = new LoopNetwork({ onUndelivered: (info) => lost.push(info.bytes) });
    const a = await node(net, 'a');
    const b = await node(net, 'b');
    await a.transport.send({ transport: 'loop', address: 'nobody', port: 1 }, Buffer.from('12345'));
    await a.transport.send({ transport: 'loop', address: 'b', port: 5060 }, Buffer.from('123'));
    await b.transport.close();
    await waitFor(() => net.undelivered === 2);
    expect(lost).toEqual([5, 3]);
    expect(b.messages).toHaveLength(0);
  });

  it('applies the UDP checks: keep-alives are consumed, oversize messages dropped and reported', async () => {
    const net = new LoopNetwork();
    const a = await node(net, 'a');
    const b = await node(net, 'b', 5060, 10);
    const to = { transport: 'loop' as const, address: 'b', port: 5060 };
    await a.transport.send(to, Buffer.from('\r\n\r\n'));
    await a.transport.send(to, Buffer.from('x'.repeat(11)));
    await a.transport.send(to, Buffer.from('ok'));
    await waitFor(() => b.messages.length === 1);
    expect(b.keepalives.map((k) => k.kind)).toEqual(['ping']);
    expect(b.drops.map((d) => d.reason)).toEqual(['too-large']);
  });

  it('refuses a taken address and sends before listen()', async () => {
    const net = new LoopNetwork();
    await node(net, 'a');
    await expect(node(net, 'a')).rejects.toThrow(/in use/);
    const idle = net.endpoint({ listen: { address: 'c', port: 1 }, onMessage: () => {} });
    const err = await idle.send({ transport: 'loop', address: 'a', port: 5060 }, Buffer.from('x')).catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('TRANSPORT_CLOSED');
  });
});
