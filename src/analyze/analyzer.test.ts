import { beforeEach, describe, expect, it } from 'vitest';
import { AddressSet } from '../config/address-set.js';
import type { MessageRow } from './analysis.js';
import { analyzeCaptures } from './analyzer.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { captured, DOMAIN, invite, options, PHONE, PROVIDER, register, resetKit, response, SCANNER, svmapInvite } from './test-kit.js';

async function* iterate(list: readonly CapturedMessage[]): AsyncGenerator<CapturedMessage> {
  yield* list;
}

async function run(list: readonly CapturedMessage[], given?: string[]) {
  const rows: MessageRow[] = [];
  const provider = given === undefined ? null : { isProvider: (a: string) => (AddressSet.parse(given) as { ok: true; set: AddressSet }).set.has(a), names: given };
  const result = await analyzeCaptures(() => iterate(list), { provider, onRow: (row) => rows.push(row) });
  return { ...result, rows };
}

/** A day at a phone: it registers (challenged, then accepted), gets a provider call, places one, and is scanned. */
function day(): CapturedMessage[] {
  const reg1 = register(PHONE, { callId: 'reg-1', cseq: 1 });
  const reg2 = register(PHONE, { callId: 'reg-1', cseq: 2 });
  const call = invite(PHONE, PROVIDER, { callId: 'call-in', extra: `Record-Route: <sip:${PROVIDER};lr>\n` });
  const out = invite(PROVIDER, PHONE, { callId: 'call-out', to: '0312345678', from: `<sip:alice@${DOMAIN}>` });
  const ghost = svmapInvite(PHONE, SCANNER, 'ghost-1');
  const probe = options(PHONE, SCANNER, 'opt-1');
  return [
    captured(reg1, PHONE, PROVIDER),
    captured(response(reg1, 401, 'Unauthorized'), PROVIDER, PHONE),
    captured(reg2, PHONE, PROVIDER),
    captured(response(reg2, 200, 'OK'), PROVIDER, PHONE),
    captured(probe, SCANNER, PHONE),
    captured(response(probe, 200, 'OK'), PHONE, SCANNER),
    captured(ghost, SCANNER, PHONE),
    captured(response(ghost, 100, 'Trying'), PHONE, SCANNER),
    captured(response(ghost, 180, 'Ringing'), PHONE, SCANNER),
    captured(call, PROVIDER, PHONE),
    captured(response(call, 180, 'Ringing'), PHONE, PROVIDER),
    captured(response(call, 200, 'OK'), PHONE, PROVIDER),
    captured(out, PHONE, PROVIDER),
    captured(response(out, 407, 'Proxy Authentication Required'), PROVIDER, PHONE),
    captured('INVITE sip:100@192.0.2.20 SIP/2.0\r\nthis line has no colon\r\n\r\n', SCANNER, PHONE),
  ];
}

describe('analyzeCaptures', () => {
  beforeEach(() => resetKit());

  it('infers the provider from where REGISTERs were answered 2xx, and says so', async () => {
    const { topology, summary } = await run(day());
    expect(topology.provider.origin).toBe('inferred');
    expect(topology.provider.names).toEqual([PROVIDER]);
    expect(topology.provider.domain).toBe(DOMAIN);
    expect(summary.provider.evidence.join('\n')).toMatch(/203\.0\.113\.10: 1 REGISTER answered 2xx from there, from 1 phone \(192\.0\.2\.20\)/);
    expect(topology.phones).toEqual([PHONE]);
  });

  it('classifies each INVITE: provider, ghost, outgoing; responses take their call verdict', async () => {
    const { rows, summary } = await run(day());
    const byCall = (id: string) => rows.filter((r) => r.callId === id).map((r) => r.verdict);
    expect(byCall('call-in')).toEqual(['provider', 'provider', 'provider']);
    expect(byCall('ghost-1')).toEqual(['ghost', 'ghost', 'ghost']);
    expect(byCall('call-out')).toEqual(['outgoing', 'outgoing']);
    expect(byCall('opt-1')).toEqual(['other', 'other']);
    expect(summary.callsByVerdict).toEqual({ provider: 1, ghost: 1, outgoing: 1, other: 0 });
  });

  it('labels a ghost call with the guard reasons, the scanner family and the explanation, and says the phone rang', async () => {
    const { rows, summary } = await run(day());
    const ghost = rows.find((r) => r.callId === 'ghost-1' && r.method === 'INVITE')!;
    expect(ghost.reasons).toEqual(['not-from-provider', 'no-alias', 'scanner-fingerprint']);
    expect(ghost.family).toBe('sipvicious');
    expect(ghost.explanation!.en).toContain(`sent straight to you from ${SCANNER}`);
    // The capture was taken without the guard (and this call rang): the explanation says what it would have done.
    expect(ghost.explanation!.en).toMatch(/^ghostguard would have blocked a call .*Your phone would not have rung\.$/);
    expect(ghost.explanation!.en).not.toContain('did not ring');
    expect(ghost.explanation!.ja).toMatch(/^ghostguard を使っていれば、.*着信はブロックされていたはずです.*電話機は鳴らなかったはずです。$/);
    expect(ghost.explanation!.ja).not.toContain('鳴っていません');
    expect(summary.ghost).toMatchObject({ calls: 1, rang: 1, answered: 0, byFamily: { sipvicious: 1 } });
    expect(summary.ghostCalls[0]).toMatchObject({ callId: 'ghost-1', source: SCANNER, phone: PHONE, rang: true, answered: false, family: 'sipvicious', caller: 'sipvicious' });
    expect(summary.sources[0]).toMatchObject({ source: SCANNER, ghostCalls: 1, requests: 3, rang: 1 });
  });

  it('judges a provider call as the guard fallback would: accepted for a registered account', async () => {
    const { rows } = await run(day());
    const call = rows.find((r) => r.callId === 'call-in' && r.method === 'INVITE')!;
    expect(call.reasons).toEqual(['provider-rewrites-uri']);
    expect(call.explanation!.en).toMatch(/^ghostguard would have accepted a call.*ghostguard would have passed the call on to your phone\.$/);
    expect(call.explanation!.ja).toMatch(/着信は受け付けられていたはずです.*着信は電話機へ転送されていたはずです。$/);
    const out = rows.find((r) => r.callId === 'call-out' && r.method === 'INVITE')!;
    expect(out.reasons).toEqual([]);
    expect(out.explanation).toBeNull();
  });

  it('reports an unparsable SIP-looking payload with its parse error instead of dropping it', async () => {
    const { rows, summary } = await run(day());
    const bad = rows.at(-1)!;
    expect(bad.verdict).toBe('other');
    expect(bad.error?.code).toMatch(/^SIP_/);
    expect(bad.reasons).toEqual(['malformed']);
    expect(summary.unparsable).toBe(1);
    expect(summary.messages).toBe(15);
    expect(Object.values(summary.messagesByVerdict).reduce((a, b) => a + b, 0)).toBe(15);
  });

  it('gives every row the JSON shape', async () => {
    const { rows } = await run(day());
    for (const row of rows) {
      const parsed = JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['frame', 'time', 'src', 'dst', 'transport', 'method', 'status', 'callId', 'verdict', 'family', 'reasons', 'explanation']));
      expect(parsed.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(parsed.src).toMatch(/^[\d.]+:\d+$/);
      expect(typeof parsed.method === 'string' || typeof parsed.status === 'number' || parsed.error !== undefined).toBe(true);
    }
  });

  it('does not take a scanner that registers (svcrack) for the provider', async () => {
    const crack = register(SCANNER, { callId: 'crack', user: '100' }).replace('User-Agent: baresip v3.10.1', 'User-Agent: friendly-scanner');
    const list = [captured(crack, SCANNER, PHONE), captured(response(crack, 401, 'Unauthorized'), PHONE, SCANNER), captured(svmapInvite(PHONE, SCANNER, 'g'), SCANNER, PHONE)];
    const { topology, summary } = await run(list);
    expect(topology.provider.origin).toBe('none');
    expect(topology.isProvider(PHONE)).toBe(false);
    expect(summary.callsByVerdict.ghost).toBe(1);
  });

  it('learns the provider from answered INVITEs with Record-Route when no REGISTER was captured', async () => {
    const call = invite(PHONE, PROVIDER, { callId: 'c', extra: `Record-Route: <sip:${PROVIDER};lr>\n` });
    const ghost = svmapInvite(PHONE, SCANNER, 'g');
    const list = [captured(call, PROVIDER, PHONE), captured(response(call, 180, 'Ringing'), PHONE, PROVIDER), captured(ghost, SCANNER, PHONE), captured(response(ghost, 180, 'Ringing'), PHONE, SCANNER)];
    const { topology, summary } = await run(list);
    expect(topology.provider.names).toEqual([PROVIDER]);
    expect(topology.provider.evidence[0]).toMatch(/1 INVITE with Record-Route answered 18x\/2xx by 192\.0\.2\.20/);
    expect(summary.callsByVerdict).toMatchObject({ provider: 1, ghost: 1 });
  });

  it('uses --provider instead of inferring, and still learns the phones', async () => {
    const { topology, summary } = await run(day(), ['203.0.113.0/28']);
    expect(topology.provider.origin).toBe('option');
    expect(topology.provider.names).toEqual(['203.0.113.0/28']);
    expect(topology.isProvider('203.0.113.3')).toBe(true);
    expect(topology.phones).toEqual([PHONE]);
    expect(summary.callsByVerdict).toEqual({ provider: 1, ghost: 1, outgoing: 1, other: 0 });
  });

  it('with a wrong --provider, the real provider call counts as a ghost (what the guard would drop)', async () => {
    const { summary, topology } = await run(day(), ['198.18.0.1']);
    // No phone registered with 198.18.0.1, so the phone side is unknown and the phone's own call looks inbound too.
    expect(topology.phones).toEqual([]);
    expect(summary.callsByVerdict.ghost).toBe(3);
    expect(summary.callsByVerdict.provider).toBe(0);
  });

  it('keeps memory bounded under a flood of distinct Call-IDs: state for a capped number, the rest counted', async () => {
    const flood: CapturedMessage[] = [];
    for (let i = 0; i < 3000; i++) flood.push(captured(svmapInvite(PHONE, `198.51.100.${i % 200}`, `flood-${i}`), `198.51.100.${i % 200}`, PHONE));
    const rows: MessageRow[] = [];
    const { summary } = await analyzeCaptures(() => iterate(flood), { callCapacity: 100, detailCapacity: 10, sourceCapacity: 50, onRow: (r) => rows.push(r) });
    expect(summary.callsByVerdict.ghost).toBe(3000);
    expect(summary.ghostCalls).toHaveLength(10);
    expect(summary.callsForgotten).toBe(2900);
    expect(summary.sources).toHaveLength(50);
    expect(summary.ghost.otherSources).toBe(150);
    expect(rows.every((r) => r.verdict === 'ghost')).toBe(true);
  });

  it('does not take a PBX that registers with the provider for the provider, though its own phones register with it', async () => {
    const PBX = '192.0.2.30';
    const DESK = '10.0.0.5';
    const up = register(PBX, { callId: 'pbx-up', user: 'office' });
    const lan = register(DESK, { callId: 'desk', user: '201' });
    const ghost = svmapInvite(PBX, SCANNER, 'g');
    const deskCall = invite(PBX, DESK, { callId: 'desk-call', to: '202' });
    const list = [
      captured(up, PBX, PROVIDER),
      captured(response(up, 200, 'OK'), PROVIDER, PBX),
      captured(lan, DESK, PBX),
      captured(response(lan, 200, 'OK'), PBX, DESK),
      captured(ghost, SCANNER, PBX),
      captured(deskCall, DESK, PBX),
    ];
    const { topology, summary } = await run(list);
    expect(topology.provider.names).toEqual([PROVIDER]);
    expect(topology.provider.evidence.join('\n')).toContain(`${PBX} is not the provider`);
    expect(topology.isPhone(PBX)).toBe(true);
    expect(summary.callsByVerdict).toEqual({ provider: 0, ghost: 1, outgoing: 0, other: 1 });
  });

  it('never throws on mangled payloads: every one becomes a row, unparsable ones with their error', async () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const seeds = day().map((c) => Buffer.from(c.bytes));
    const list: CapturedMessage[] = [];
    for (let i = 0; i < 1500; i++) {
      const bytes = Buffer.from(seeds[i % seeds.length]!);
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      const src = random() < 0.5 ? SCANNER : PROVIDER;
      list.push({ ...captured('', src, PHONE), bytes: cut });
    }
    const rows: MessageRow[] = [];
    const { summary } = await analyzeCaptures(() => iterate(list), { onRow: (r) => rows.push(r) });
    expect(rows).toHaveLength(1500);
    expect(summary.messages).toBe(1500);
    const unparsable = rows.filter((r) => r.error !== undefined);
    expect(unparsable.length).toBe(summary.unparsable);
    expect(unparsable.length).toBeGreaterThan(0);
    for (const r of unparsable) expect(r.error!.code).toMatch(/^SIP_/);
    for (const r of rows) expect(() => JSON.parse(JSON.stringify(r))).not.toThrow();
  });
});
