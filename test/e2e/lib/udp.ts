/**
 * Raw UDP from inside a lab host: send exact bytes (e.g. a copy of a real provider INVITE, byte
 * for byte, replayed from the scanner's address) and collect whatever comes back for a while.
 * A small Node program runs inside the namespace; nothing is sent anywhere else.
 */
import type { Host } from './netns.js';

export interface UdpSendOptions {
  /** Source address and port inside the host (port 0 = any). */
  readonly from: string;
  readonly fromPort?: number;
  readonly to: string;
  readonly toPort: number;
  /** The datagrams to send, in order, with `gapMs` between them. At most 1000. */
  readonly payloads: readonly Buffer[];
  readonly gapMs?: number;
  /** How long to listen for replies after the last datagram. Default 1000 ms. */
  readonly listenMs?: number;
}

export interface UdpReply {
  readonly from: string;
  readonly port: number;
  readonly payload: Buffer;
}

const SENDER = `
const dgram = require('node:dgram');
const o = JSON.parse(process.argv[1]);
const s = dgram.createSocket('udp4');
s.on('message', (msg, rinfo) => {
  process.stdout.write(JSON.stringify({ from: rinfo.address, port: rinfo.port, payload: msg.toString('base64') }) + '\\n');
});
s.on('error', (e) => { process.stderr.write('udp: ' + e.message + '\\n'); process.exit(2); });
s.bind(o.fromPort, o.from, async () => {
  for (const p of o.payloads) {
    await new Promise((r) => s.send(Buffer.from(p, 'base64'), o.toPort, o.to, r));
    await new Promise((r) => setTimeout(r, o.gapMs));
  }
  setTimeout(() => { s.close(); process.exit(0); }, o.listenMs);
});
`;

/** Sends the datagrams from `host` and returns the replies received meanwhile. */
export async function sendUdp(host: Host, o: UdpSendOptions): Promise<UdpReply[]> {
  if (o.payloads.length > 1000) throw new Error('e2e: sendUdp sends at most 1000 datagrams');
  const gapMs = o.gapMs ?? 10;
  const listenMs = o.listenMs ?? 1000;
  const spec = JSON.stringify({
    from: o.from,
    fromPort: o.fromPort ?? 0,
    to: o.to,
    toPort: o.toPort,
    payloads: o.payloads.map((p) => p.toString('base64')),
    gapMs,
    listenMs,
  });
  if (spec.length > 100_000) throw new Error('e2e: sendUdp payloads too large for one command line (100 kB of base64)');
  const limit = o.payloads.length * (gapMs + 50) + listenMs + 10_000;
  const r = await host.exec('udp-send', process.execPath, ['-e', SENDER, spec], limit);
  if (r.code !== 0) throw new Error(`e2e: sendUdp from ${host.role} failed (${r.code}):\n${r.output}`);
  return r.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      const m = JSON.parse(l) as { from: string; port: number; payload: string };
      return { from: m.from, port: m.port, payload: Buffer.from(m.payload, 'base64') };
    });
}
