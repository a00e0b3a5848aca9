/**
 * `npm run bench:relay` — what the guard adds to call setup, on loopback (issue 3: "the relay adds
 * under 1 ms median and under 5 ms p99 to call setup").
 *
 * Same run, two paths, calls interleaved (one direct, one through the guard, ...):
 *   direct:  provider ──INVITE──► phone ──180──► provider
 *   guarded: provider ──INVITE──► guard WAN ─► guard LAN ──► phone ──180──► guard ──► provider
 * Both phones answer every INVITE with 180 at once. The time from sending the INVITE to receiving the
 * 180 is measured on each path; the added latency is the difference of the medians (and of the p99s).
 * The guard's own per-request relay time (WAN receive → LAN send) is reported too.
 *
 *   npm run bench:relay -- [--calls N] [--json]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/parse-config.js';
import { Guard } from '../src/proxy/guard.js';
import { respond, UdpPeer, type Received } from './relay/udp-peer.js';

const PROVIDER_IP = '127.0.0.1';
const GUARD_LAN_IP = '127.0.0.2';
const PHONE_IP = '127.0.0.3';
const GUARD_WAN_IP = '127.0.0.4';
const DIRECT_PHONE_IP = '127.0.0.5';

const TARGET_MEDIAN_MS = 1;
const TARGET_P99_MS = 5;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summary(samples: number[]): { median: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } } });
  const calls = Number(values.calls);
  if (!Number.isInteger(calls) || calls < 10 || calls > 100_000) throw new Error('--calls must be 10..100000');

  const provider = await UdpPeer.open(PROVIDER_IP);
  const phone = await UdpPeer.open(PHONE_IP);
  const directPhone = await UdpPeer.open(DIRECT_PHONE_IP);
  let alias = '';
  provider.onRequest = ({ msg }) => {
    if (msg.method !== 'REGISTER') return null;
    alias = /<([^>]+)>/.exec(msg.get('contact') ?? '')?.[1] ?? '';
    return respond(msg, 200, 'OK', [`Contact: <${alias}>;expires=3600`, 'Expires: 3600']);
  };
  // Each phone rings (180: the moment measured) and then declines (486), so that every call ends and
  // the guard's tables stay as small as in real use; the caller ACKs the 486 (RFC 3261 §17.1.1.3).
  const ringThenDecline = (self: () => UdpPeer) => ({ msg, address, port }: Received) => {
    if (msg.method !== 'INVITE') return null;
    const contact = [`Contact: <sip:alice@${PHONE_IP}:${phone.port}>`];
    self().send(respond(msg, 180, 'Ringing', contact), address, port);
    return respond(msg, 486, 'Busy Here', contact);
  };
  phone.onRequest = ringThenDecline(() => phone);
  directPhone.onRequest = ringThenDecline(() => directPhone);
  provider.onResponse = ({ msg, address, port }) => {
    if (msg.status < 300 || msg.method !== 'INVITE') return;
    const via = msg.getAll('via')[0] ?? '';
    provider.send(
      [
        `ACK ${pendingUris.get(msg.get('call-id') ?? '') ?? 'sip:invalid'} SIP/2.0`,
        `Via: ${via}`,
        'Max-Forwards: 70',
        `From: ${msg.get('from')}`,
        `To: ${msg.get('to')}`,
        `Call-ID: ${msg.get('call-id')}`,
        `CSeq: ${(msg.get('cseq') ?? '1 INVITE').split(' ')[0]} ACK`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      address,
      port,
    );
  };
  const pendingUris = new Map<string, string>();

  const lanPort = (await UdpPeer.open(GUARD_LAN_IP).then(async (p) => (await p.close(), p.port)));
  const config = parseConfig(
    [
      'provider:',
      `  domain: ${PROVIDER_IP}`,
      `  registrar: ${PROVIDER_IP}:${provider.port}`,
      'wan:',
      `  listen: ${GUARD_WAN_IP}:0`,
      '  transports: [udp]',
      'lan:',
      `  listen: ${GUARD_LAN_IP}:${lanPort}`,
      '  transports: [udp]',
      '  allow: [127.0.0.0/8]',
      'store: ":memory:"',
      '',
    ].join('\n'),
    'bench.yaml',
    { baseDir: process.cwd() },
  );
  if (!config.ok) throw new Error(JSON.stringify(config.errors));
  const relayMs: number[] = [];
  const guard = new Guard(config.config, {
    onRelayLatency: (s) => {
      if (s.method === 'INVITE' && s.from === 'wan') relayMs.push(s.ms);
    },
  });
  await guard.start();
  try {
    // The phone registers through the guard.
    const registered = phone.next((r) => r.msg.status === 200);
    phone.send(
      [
        `REGISTER sip:${PROVIDER_IP} SIP/2.0`,
        `Via: SIP/2.0/UDP ${PHONE_IP}:${phone.port};branch=z9hG4bK-reg1;rport`,
        'Max-Forwards: 70',
        `From: <sip:alice@${PROVIDER_IP}>;tag=r1`,
        `To: <sip:alice@${PROVIDER_IP}>`,
        'Call-ID: bench-register',
        'CSeq: 1 REGISTER',
        `Contact: <sip:alice@${PHONE_IP}:${phone.port}>`,
        'Expires: 3600',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      GUARD_LAN_IP,
      lanPort,
    );
    await registered;
    const target = /^sip:([^@]+)@([^:;>]+):(\d+)/.exec(alias);
    if (!target) throw new Error(`the guard registered no usable alias (${alias})`);
    const [, , wanAddress, wanPort] = target;

    const invite = (i: number, uri: string) =>
      [
        `INVITE ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${PROVIDER_IP}:${provider.port};branch=z9hG4bK-bench-${i};rport`,
        'Max-Forwards: 70',
        `From: <sip:caller@${PROVIDER_IP}>;tag=c${i}`,
        `To: <sip:alice@${PROVIDER_IP}>`,
        `Call-ID: bench-${i}@${PROVIDER_IP}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:caller@${PROVIDER_IP}:${provider.port}>`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');

    const direct: number[] = [];
    const guarded: number[] = [];
    const oneCall = async (i: number, via: 'direct' | 'guard') => {
      const ring = provider.next((r) => r.msg.status === 180 && r.msg.get('call-id') === `bench-${i}@${PROVIDER_IP}`);
      const uri = via === 'direct' ? `sip:alice@${DIRECT_PHONE_IP}:${directPhone.port}` : alias;
      pendingUris.set(`bench-${i}@${PROVIDER_IP}`, uri);
      const t0 = performance.now();
      if (via === 'direct') provider.send(invite(i, `sip:alice@${DIRECT_PHONE_IP}:${directPhone.port}`), DIRECT_PHONE_IP, directPhone.port);
      else provider.send(invite(i, alias), wanAddress!, Number(wanPort));
      const r = await ring;
      (via === 'direct' ? direct : guarded).push(r.at - t0);
      await provider.next((m) => m.msg.status === 486 && m.msg.get('call-id') === `bench-${i}@${PROVIDER_IP}`);
      pendingUris.delete(`bench-${i}@${PROVIDER_IP}`);
    };
    const warmup = Math.min(200, Math.floor(calls / 10));
    for (let i = 0; i < warmup; i++) await oneCall(1_000_000 + i, i % 2 ? 'guard' : 'direct');
    direct.length = 0;
    guarded.length = 0;
    relayMs.length = 0;
    for (let i = 0; i < calls; i++) {
      await oneCall(i * 2, 'direct');
      await oneCall(i * 2 + 1, 'guard');
    }

    const d = summary(direct);
    const g = summary(guarded);
    const inner = summary(relayMs);
    const added = { median: g.median - d.median, p99: g.p99 - d.p99 };
    const met = added.median < TARGET_MEDIAN_MS && added.p99 < TARGET_P99_MS;
    const report = { calls, node: process.version, direct: d, guarded: g, added, guardInternal: inner, target: { medianMs: TARGET_MEDIAN_MS, p99Ms: TARGET_P99_MS, met } };
    if (values.json) console.log(JSON.stringify(report));
    else {
      const f = (n: number) => `${n.toFixed(3)} ms`;
      console.log(`relay latency on loopback, ${calls} calls per path, interleaved (Node ${process.version})`);
      console.log(`  INVITE → 180, direct:        median ${f(d.median)}  p99 ${f(d.p99)}  max ${f(d.max)}`);
      console.log(`  INVITE → 180, via the guard: median ${f(g.median)}  p99 ${f(g.p99)}  max ${f(g.max)}`);
      console.log(`  added by the guard:          median ${f(added.median)}  p99 ${f(added.p99)}`);
      console.log(`  guard's own relay time (WAN receive → LAN send): median ${f(inner.median)}  p99 ${f(inner.p99)}`);
      console.log(`  target: added median < ${TARGET_MEDIAN_MS} ms and p99 < ${TARGET_P99_MS} ms: ${met ? 'met' : 'NOT met'}`);
    }
    return 0;
  } finally {
    await guard.stop();
    await Promise.all([provider.close(), phone.close(), directPhone.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
