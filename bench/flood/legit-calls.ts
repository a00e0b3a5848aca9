/**
 * Legit calls during a flood (`npm run bench:flood`): a provider peer and a phone on loopback, run
 * inside the guard's namespace as their own process (so they never share the guard's event loop).
 * The phone registers through the guard's LAN leg; the provider answers 200 and learns the alias;
 * then, on "go" (stdin), the provider places CALLS INVITEs to the alias, one every INTERVAL_MS, on
 * schedule whatever became of the earlier ones, and retransmits each as a real provider does (RFC
 * 3261 Timer A: 0.5 s, then doubling) until a provisional response arrives, within RING_TIMEOUT_MS.
 * The phone answers each with 180 (it rang) and 486; the provider ACKs the 486. The result counts
 * the calls that rang at all and those that rang on their first transmission.
 *
 *   node --import tsx bench/flood/legit-calls.ts CALLS INTERVAL_MS
 * stdout: "REGISTERED <alias>", then after the calls "RESULT {json}".
 */
import { createInterface } from 'node:readline';
import { respond, UdpPeer, type Received } from '../relay/udp-peer.js';

const PROVIDER_IP = '127.0.0.2';
const PROVIDER_PORT = 5060;
const PHONE_IP = '127.0.0.5';
const PHONE_PORT = 5062;
const GUARD_LAN = { address: '127.0.0.3', port: 5060 };
const RING_TIMEOUT_MS = 4000;
/** When an INVITE not yet answered is sent again (Timer A = 500 ms, doubling), ms after the first. */
const RETRANSMIT_AT_MS = [500, 1500, 3500];

function sip(lines: string[]): string {
  return [...lines, 'Content-Length: 0', '', ''].join('\r\n');
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2]);
  const intervalMs = Number(process.argv[3]);
  if (!Number.isInteger(calls) || calls < 1 || calls > 10_000 || !(intervalMs >= 1 && intervalMs <= 60_000)) {
    throw new Error('usage: legit-calls CALLS(1..10000) INTERVAL_MS(1..60000)');
  }
  const provider = await UdpPeer.open(PROVIDER_IP, PROVIDER_PORT);
  const phone = await UdpPeer.open(PHONE_IP, PHONE_PORT);
  let alias = '';
  let phoneInvites = 0;
  provider.onRequest = ({ msg }) => {
    if (msg.method !== 'REGISTER') return null;
    alias = /<([^>]+)>/.exec(msg.get('contact') ?? '')?.[1] ?? '';
    return respond(msg, 200, 'OK', [`Contact: <${alias}>;expires=3600`, 'Expires: 3600']);
  };
  phone.onRequest = ({ msg, address, port }: Received) => {
    if (msg.method !== 'INVITE') return null;
    phoneInvites++;
    const contact = [`Contact: <sip:alice@${PHONE_IP}:${PHONE_PORT}>`];
    phone.send(respond(msg, 180, 'Ringing', contact), address, port);
    return respond(msg, 486, 'Busy Here', contact);
  };
  provider.onResponse = ({ msg, address, port }) => {
    if (msg.status < 300 || msg.method !== 'INVITE') return;
    provider.send(
      sip([
        `ACK ${alias} SIP/2.0`,
        `Via: ${msg.getAll('via')[0] ?? ''}`,
        'Max-Forwards: 70',
        `From: ${msg.get('from')}`,
        `To: ${msg.get('to')}`,
        `Call-ID: ${msg.get('call-id')}`,
        `CSeq: ${(msg.get('cseq') ?? '1 INVITE').split(' ')[0]} ACK`,
      ]),
      address,
      port,
    );
  };

  const registered = phone.next((r) => r.msg.status === 200, 10_000);
  phone.send(
    sip([
      `REGISTER sip:${PROVIDER_IP} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PHONE_IP}:${PHONE_PORT};branch=z9hG4bK-floodreg1;rport`,
      'Max-Forwards: 70',
      `From: <sip:alice@${PROVIDER_IP}>;tag=r1`,
      `To: <sip:alice@${PROVIDER_IP}>`,
      'Call-ID: flood-bench-register',
      'CSeq: 1 REGISTER',
      `Contact: <sip:alice@${PHONE_IP}:${PHONE_PORT}>`,
      'Expires: 3600',
    ]),
    GUARD_LAN.address,
    GUARD_LAN.port,
  );
  await registered;
  const target = /^sip:[^@]+@([^:;>]+):(\d+)/.exec(alias);
  if (target === null) throw new Error(`the guard registered no usable alias (${alias})`);
  console.log(`REGISTERED ${alias}`);
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (l) => l.trim() === 'go' && (lines.close(), resolve()));
  });

  const start = performance.now();
  const placeCall = async (i: number): Promise<{ ms: number; sends: number } | null> => {
    const wait = start + i * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const callId = `flood-legit-${i}@${PROVIDER_IP}`;
    const ring = provider.next((r) => r.msg.status === 180 && r.msg.get('call-id') === callId, RING_TIMEOUT_MS);
    const t0 = performance.now();
    const invite = sip([
      `INVITE ${alias} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PROVIDER_IP}:${PROVIDER_PORT};branch=z9hG4bK-legit-${i};rport`,
      'Max-Forwards: 70',
      `From: <sip:caller@${PROVIDER_IP}>;tag=c${i}`,
      `To: <sip:alice@${PROVIDER_IP}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:caller@${PROVIDER_IP}:${PROVIDER_PORT}>`,
    ]);
    let sends = 1;
    provider.send(invite, target[1]!, Number(target[2]));
    const timers = RETRANSMIT_AT_MS.map((ms) =>
      setTimeout(() => {
        sends++;
        provider.send(invite, target[1]!, Number(target[2]));
      }, ms),
    );
    try {
      const r = await ring;
      return { ms: r.at - t0, sends };
    } catch {
      return null; // no 180 within RING_TIMEOUT_MS: the call did not ring
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }
  };
  const outcomes = await Promise.all(Array.from({ length: calls }, (_, i) => placeCall(i)));
  const rang = outcomes.filter((o): o is { ms: number; sends: number } => o !== null);
  const ringMs = rang.map((o) => o.ms).sort((a, b) => a - b);
  const result = {
    placed: calls,
    rang: rang.length,
    rangFirstTime: rang.filter((o) => o.sends === 1).length,
    retransmissions: rang.reduce((n, o) => n + o.sends - 1, 0),
    phoneInvites,
    ringMs: { median: ringMs[Math.floor(ringMs.length / 2)] ?? null, max: ringMs.at(-1) ?? null },
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  await Promise.all([provider.close(), phone.close()]);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
