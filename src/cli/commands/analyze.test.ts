import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CaptureWriter } from '../../analyze/capture/capture-writer.js';
import { DOMAIN, invite, options, PHONE, PROVIDER, register, resetKit, response, SCANNER, svmapInvite } from '../../analyze/test-kit.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';
import { analyzeCommand } from './analyze.js';

const T0 = Date.UTC(2026, 10, 27, 22, 0, 0);

/** A pcap of a phone's day: registers, gets a provider call, is scanned by svmap twice (rings once). */
function dayCapture(format: 'pcap' | 'pcapng' = 'pcap'): Buffer {
  const w = new CaptureWriter({ format });
  let t = T0;
  const send = (text: string, src: string, dst: string) => w.udp({ time: (t += 250), src: { address: src, port: 5060 }, dst: { address: dst, port: 5060 }, payload: text.replace(/\r?\n/g, '\r\n') });
  const reg = register(PHONE, { callId: 'reg-1', cseq: 2 });
  send(reg, PHONE, PROVIDER);
  send(response(reg, 200, 'OK'), PROVIDER, PHONE);
  const call = invite(PHONE, PROVIDER, { callId: 'call-in', extra: `Record-Route: <sip:${PROVIDER};lr>\n` });
  send(call, PROVIDER, PHONE);
  send(response(call, 180, 'Ringing'), PHONE, PROVIDER);
  const g1 = svmapInvite(PHONE, SCANNER, 'ghost-1');
  send(g1, SCANNER, PHONE);
  send(response(g1, 180, 'Ringing'), PHONE, SCANNER);
  send(svmapInvite(PHONE, '198.51.100.77', 'ghost-2'), '198.51.100.77', PHONE);
  send(options(PHONE, SCANNER, 'opt-1'), SCANNER, PHONE);
  return w.toBuffer();
}

async function run(args: string[], isTTY = false) {
  const dir = mkdtempSync(join(tmpdir(), 'gg-analyze-'));
  const io = { ...memoryIo({}, dir), errIsTTY: isTTY };
  writeFileSync(join(dir, 'day.pcap'), dayCapture());
  writeFileSync(join(dir, 'day.pcapng'), dayCapture('pcapng'));
  writeFileSync(join(dir, 'notes.txt'), 'not a capture at all\n');
  writeFileSync(join(dir, 'silent.pcap'), new CaptureWriter().toBuffer());
  const code = await runCli(['analyze', ...args], io);
  return { code, out: io.stdout.join(''), err: io.stderr.join(''), dir, writes: io.stdout.length };
}

describe('ghostguard analyze', () => {
  beforeEach(() => resetKit());

  it('prints what it inferred and from what, the calls by verdict, and the ghost calls that rang', async () => {
    const { code, out, err } = await run(['day.pcap']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Analyzed 8 SIP messages from 1 capture file');
    expect(out).toContain(`Provider: ${PROVIDER} (inferred; domain ${DOMAIN})`);
    expect(out).toContain(`${PROVIDER}: 1 REGISTER answered 2xx from there, from 1 phone (${PHONE})`);
    expect(out).toContain('Calls: provider 1 · ghost 2 · outgoing 0 · other 0');
    expect(out).toContain('Ghost calls: 2 — the phone rang for 1 and was picked up for 0.');
    expect(out).toContain('by scanner: SIPVicious 2');
    expect(out).toMatch(new RegExp(`rang: .* from ${SCANNER.replace(/\./g, '\\.')} to ${PHONE.replace(/\./g, '\\.')} as 'sipvicious'`));
    expect(out).toContain('by the SIPVicious scanner (User-Agent friendly-scanner)');
    // The capture was taken without the guard (one ghost call rang): the explanations say what it would have done.
    expect(out).toContain('What ghostguard would have done:');
    expect(out).toMatch(/ghostguard would have blocked a call .*Your phone would not have rung\./);
    expect(out).not.toMatch(/did not ring|鳴っていません/);
  });

  it('--json prints one object per SIP message, then the summary, in few writes', async () => {
    const { code, out, writes } = await run(['--json', 'day.pcapng']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(9);
    const [first] = lines;
    expect(first).toMatchObject({ frame: 1, src: `${PHONE}:5060`, dst: `${PROVIDER}:5060`, transport: 'udp', method: 'REGISTER', status: null, callId: 'reg-1', verdict: 'other' });
    expect(first!.time).toBe(new Date(T0 + 250).toISOString());
    expect(first!.file).toBe('day.pcapng');
    const ghost = lines.find((l) => l.callId === 'ghost-1' && l.method === 'INVITE')!;
    expect(ghost).toMatchObject({ verdict: 'ghost', family: 'sipvicious', reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'] });
    expect(Object.keys(ghost.explanation as object)).toEqual(['en', 'ja']);
    expect(lines.find((l) => l.callId === 'ghost-1' && l.status === 180)).toMatchObject({ verdict: 'ghost' });
    const summary = lines.at(-1)!.summary as { callsByVerdict: Record<string, number>; ghost: { rang: number } };
    expect(summary.callsByVerdict).toEqual({ provider: 1, ghost: 2, outgoing: 0, other: 0 });
    expect(summary.ghost.rang).toBe(1);
    expect(writes).toBeLessThanOrEqual(2);
  });

  it('--provider overrides the inference and says so', async () => {
    const { code, out } = await run(['day.pcap', '--provider', '203.0.113.0/28']);
    expect(code).toBe(0);
    expect(out).toContain('Provider: 203.0.113.0/28 (given with --provider');
    expect(out).toContain('Calls: provider 1 · ghost 2');
  });

  it('--html writes a self-contained report', async () => {
    const { code, dir, out } = await run(['day.pcap', '--html', 'report.html']);
    expect(code).toBe(0);
    expect(out).toContain('Ghost calls: 2');
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<svg class="timeline"');
    expect(page).not.toMatch(/\b(src|href)=|@import|url\(/);
  });

  it('reports a missing file and a file that is not a capture, analyzes the rest, and exits 1', async () => {
    const { code, out, err } = await run(['missing.pcap', 'notes.txt', 'day.pcap']);
    expect(code).toBe(1);
    expect(err).toMatch(/missing\.pcap: cannot open: .*ENOENT/);
    expect(err).toMatch(/notes\.txt: not a pcap or pcapng file \[CAPTURE_NOT_A_CAPTURE\]/);
    expect(out).toContain('Ghost calls: 2');
  });

  it('reads every capture of a folder and counts the files, not the arguments', async () => {
    const { code, out } = await run(['.']);
    expect(code).toBe(0);
    // day.pcap and day.pcapng hold the same calls: the Call-IDs repeat, so each call counts once.
    expect(out).toContain('Analyzed 16 SIP messages from 3 capture files');
    expect(out).toContain('Calls: provider 1 · ghost 2 · outgoing 0 · other 0');
  });

  it('says so when a capture holds no SIP', async () => {
    const { code, out, err } = await run(['silent.pcap']);
    expect(code).toBe(0);
    expect(err).toContain('no SIP messages found in silent.pcap');
    expect(out).toBe('');
  });

  it('stops on Ctrl-C, says the results are partial, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-analyze-'));
    writeFileSync(join(dir, 'day.pcap'), dayCapture());
    const io = memoryIo({}, dir);
    io.stop('SIGINT');
    const code = await runCli(['analyze', 'day.pcap'], io);
    expect(code).toBe(1);
    expect(io.stderr.join('')).toContain('stopped by SIGINT before the end');
    // Stopped before the first message was read.
    expect(io.stderr.join('')).toContain('no SIP messages found in day.pcap');
  });

  it('--provider takes a domain (resolved) and fails clearly when it does not resolve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-analyze-'));
    writeFileSync(join(dir, 'day.pcap'), dayCapture());
    const io = memoryIo({}, dir);
    const code = await analyzeCommand(['day.pcap', '--provider', 'voip.example.test'], io, { resolver: async () => [PROVIDER] });
    expect(code).toBe(0);
    expect(io.stdout.join('')).toContain('Provider: voip.example.test (given with --provider; domain voip.example.test)');
    expect(io.stdout.join('')).toContain('Calls: provider 1 · ghost 2');
    const bad = memoryIo({}, dir);
    expect(await analyzeCommand(['day.pcap', '--provider', 'nowhere.invalid'], bad, { resolver: () => Promise.reject(new Error('ENOTFOUND')) })).toBe(1);
    expect(bad.stderr.join('')).toMatch(/could not resolve the domain \(ENOTFOUND\); give the provider's address or CIDR block instead/);
    expect(bad.stdout).toEqual([]);
  });

  it('exits 2 on usage errors', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['day.pcap', '--json', '--html', 'x.html'])).code).toBe(2);
    expect((await run(['day.pcap', '--provider', '203.0.113.300'])).code).toBe(2);
    expect((await run(['day.pcap', '--bogus'])).code).toBe(2);
  });

  it('draws and then erases a progress bar on a terminal', async () => {
    const { code, err } = await run(['day.pcap'], true);
    expect(code).toBe(0);
    expect(err).toMatch(/^\r\x1b\[2K\[#{24}\] 100%  learning who is who 1\/2  day\.pcap/);
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
    expect((await run(['day.pcap'], false)).err).toBe('');
  });

  describe('on the recorded captures (test/fixtures/captures, manifest.json)', () => {
    const dir = join(import.meta.dirname, '../../../test/fixtures/captures');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      captures: Array<{ file: string; providerAddresses: string[]; expected: { ghostInviteDialogs: number; providerCalls: number; ghostRings: number } }>;
    };
    for (const entry of manifest.captures) {
      it(`${entry.file}: --json finds the ghost calls and provider calls the manifest lists`, async () => {
        const io = memoryIo({}, dir);
        const code = await runCli(['analyze', '--json', entry.file], io);
        expect(code).toBe(0);
        const lines = io.stdout.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        const summary = lines.pop()!.summary as { callsByVerdict: Record<string, number>; ghost: { rang: number }; messages: number };
        expect(lines).toHaveLength(summary.messages);
        expect(summary.callsByVerdict.ghost).toBe(entry.expected.ghostInviteDialogs);
        expect(lines.every((l) => l.file === entry.file)).toBe(true);
        expect(summary.callsByVerdict.provider).toBe(entry.expected.providerCalls);
        expect(summary.ghost.rang).toBe(entry.expected.ghostRings);
        const ghostInvites = new Set(lines.filter((l) => l.verdict === 'ghost' && l.method === 'INVITE').map((l) => l.callId));
        expect(ghostInvites.size).toBe(entry.expected.ghostInviteDialogs);
        for (const l of lines.filter((row) => row.verdict === 'ghost' && row.method === 'INVITE')) {
          expect(entry.providerAddresses).not.toContain(String(l.src).replace(/:\d+$/, ''));
        }
      });
    }
  });
});
