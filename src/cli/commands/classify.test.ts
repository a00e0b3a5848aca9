import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

const scanners = join(import.meta.dirname, '../../../test/fixtures/scanners');
const phones = join(import.meta.dirname, '../../../test/fixtures/phones');
const svmap = join(scanners, 'sipvicious-svmap-invite.sip');
const providerInvite = join(phones, 'jp-050-provider-sbc-invite.sip');

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(['classify', ...args], io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

function lines(out: string): Array<Record<string, unknown>> {
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('ghostguard classify', () => {
  it('names the scanner and shows what the guard would do, in a readable block', async () => {
    const { code, out } = await run([svmap]);
    expect(code).toBe(0);
    expect(out).toContain('sipvicious-svmap-invite.sip');
    expect(out).toContain('scanner:      SIPVicious (sipvicious/svmap), confidence 1.00');
    expect(out).toContain('ua:friendly-scanner');
    expect(out).toContain('source:       198.51.100.66 (from the top Via; --source sets it)');
    expect(out).toContain('verdict:      drop (not-from-provider, no-alias, scanner-fingerprint)');
    expect(out).toContain('by the SIPVicious scanner (User-Agent friendly-scanner)');
    expect(out).toContain('説明:');
    // The guard never saw this message: the explanation says what it would have done.
    expect(out).toMatch(/explanation: {2}ghostguard would have blocked a call .*Your phone would not have rung\.\n/);
    expect(out).toMatch(/説明: +ghostguard を使っていれば、.*着信はブロックされていたはずです.*電話機は鳴らなかったはずです。\n/);
    expect(out).not.toMatch(/did not ring|鳴っていません/);
  });

  it('--json prints one object per file with file, family, confidence, verdict, reasons and explanation', async () => {
    const { code, out } = await run(['--json', svmap, join(phones, 'yealink-invite.sip')]);
    expect(code).toBe(0);
    const [scan, phone] = lines(out);
    expect(scan).toMatchObject({
      file: svmap,
      family: 'sipvicious',
      variant: 'svmap',
      confidence: 1,
      source: '198.51.100.66',
      verdict: 'drop',
      status: null,
      reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'],
    });
    expect((scan!['explanation'] as { en: string; ja: string }).en).toContain('SIPVicious');
    expect((scan!['explanation'] as { en: string; ja: string }).ja).toContain('SIPVicious');
    expect(phone).toMatchObject({ family: null, confidence: 0, verdict: 'drop', reasons: ['not-from-provider', 'no-alias'] });
  });

  it('--source and --provider change the verdict: the provider is refused only for its Request-URI', async () => {
    const stranger = lines((await run(['--json', '--source', '198.51.100.9', '--provider', '203.0.113.0/28', providerInvite])).out)[0];
    expect(stranger).toMatchObject({ source: '198.51.100.9', sourceOrigin: 'option', reasons: ['not-from-provider', 'unknown-alias'] });
    const provider = lines((await run(['--json', '--source', '203.0.113.10', '--provider', '203.0.113.0/28', providerInvite])).out)[0];
    expect(provider).toMatchObject({ family: null, verdict: 'drop', reasons: ['unknown-alias'] });
    expect((provider!['explanation'] as { en: string }).en).toContain('from your provider 203.0.113.0/28 (203.0.113.10)');
    const named = lines((await run(['--json', '--source', '203.0.113.10', '--provider', '203.0.113.10', '--provider-domain', 'ip-phone.example.test', join(scanners, 'sipvicious-svwar-invite.sip')])).out)[0];
    expect(named).toMatchObject({ family: 'sipvicious', reasons: ['no-alias', 'scanner-fingerprint'] });
    expect((named!['explanation'] as { en: string }).en).toContain('your provider ip-phone.example.test');
  });

  it('--unknown 404 answers refused requests as policy.unknown would', async () => {
    const [report] = lines((await run(['--json', '--unknown', '404', svmap])).out);
    expect(report).toMatchObject({ verdict: 'reject', status: 404 });
    const { out } = await run(['--unknown', '403', svmap]);
    expect(out).toContain('verdict:      reject 403 (not-from-provider, no-alias, scanner-fingerprint)');
  });

  it('classifies every request of a folder, skipping its README and manifest', async () => {
    const { code, out } = await run(['--json', scanners]);
    const reports = lines(out);
    expect(reports.length).toBeGreaterThanOrEqual(30);
    expect(reports.every((r) => String(r['file']).endsWith('.sip'))).toBe(true);
    expect(reports.filter((r) => r['family'] === null)).toEqual([]);
    // svmap -m REGISTER writes `Contact: None`: refused as a stranger's, named, and reported not valid (exit 1).
    const register = reports.find((r) => String(r['file']).endsWith('sipvicious-svmap-register.sip'));
    expect(register).toMatchObject({ family: 'sipvicious', verdict: 'drop', reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'] });
    expect(register?.['invalid']).toMatchObject({ code: 'SIP_BAD_NAME_ADDR' });
    expect(code).toBe(1);
  });

  it('exits 1 with a clear error line for a file that is not SIP, and reports it as a malformed drop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-classify-'));
    const garbage = join(dir, 'picture.png');
    writeFileSync(garbage, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const { code, out, err } = await run(['--json', svmap, garbage, join(dir, 'missing.sip')]);
    expect(code).toBe(1);
    const [, bad, missing] = lines(out);
    expect(bad).toMatchObject({ family: null, verdict: 'drop', reasons: ['malformed'], error: { code: expect.stringMatching(/^SIP_/) } });
    expect(missing).toMatchObject({ verdict: null, error: { code: 'GG_ERR_READ', message: 'no such file' } });
    expect(err).toContain(`${garbage}: not a SIP message`);
    expect(err).toContain('missing.sip: no such file [GG_ERR_READ]');
    expect(err).not.toContain('    at ');
  });

  it('answers usage errors with exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--source', 'not-an-ip', svmap])).err).toContain("--source: 'not-an-ip' is not an IP address");
    expect((await run(['--provider', '300.1.1.1', svmap])).code).toBe(2);
    expect((await run(['--unknown', 'maybe', svmap])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: ghostguard classify FILE...');
  });
});
