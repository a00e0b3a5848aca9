import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

const torture = join(import.meta.dirname, '../../../test/fixtures/sip-torture/rfc4475');

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('ghostguard parse', () => {
  it('prints the fields of a valid message and exits 0 (RFC 4475 §3.1.1.1 wsinv)', async () => {
    const { code, out } = await run(['parse', join(torture, 'wsinv.dat')]);
    expect(code).toBe(0);
    expect(out).toContain('valid SIP message');
    expect(out).toContain('INVITE sip:vivekg@chair-dnrc.example.com;unknownparam');
    expect(out).toContain('Call-ID:        wsinv.ndaksdj@192.0.2.1');
    expect(out).toContain('CSeq:           9 INVITE');
    expect(out).toContain('branch=390skdjuw');
  });

  it('--json prints one object per file with file, ok and the fields', async () => {
    const { code, out } = await run(['parse', '--json', join(torture, 'wsinv.dat'), join(torture, 'esc01.dat')]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      ok: true,
      message: {
        kind: 'request',
        method: 'INVITE',
        from: { uri: 'sip:jdrosen@example.com', tag: '98asjd8' },
        to: { uri: 'sip:vivekg@chair-dnrc.example.com', tag: '1918181833n' },
        callId: 'wsinv.ndaksdj@192.0.2.1',
        cseq: { seq: 9, method: 'INVITE' },
      },
    });
    expect(lines[0].message.via[0]).toMatchObject({ transport: 'UDP', host: '192.0.2.2', branch: '390skdjuw' });
    expect(lines[1].file).toContain('esc01.dat');
  });

  it('exits 1 with a coded, located error for an invalid message (RFC 4475 §3.1.2.10 insuf)', async () => {
    const { code, out } = await run(['parse', '--json', join(torture, 'insuf.dat')]);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.ok).toBe(false);
    expect(report.error.code).toMatch(/^SIP_/);
    expect(typeof report.error.offset).toBe('number');
  });

  it('gives a clear error, not a stack trace, for a file that is not SIP at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-parse-'));
    const png = join(dir, 'picture.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    const { code, out } = await run(['parse', png]);
    expect(code).toBe(1);
    expect(out).toContain('NOT valid');
    expect(out).not.toContain('    at ');
  });

  it('reports a missing file and a folder of messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-parse-'));
    const sub = join(dir, 'msgs');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.sip'), 'OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK1\r\nFrom: <sip:nm@nm>;tag=root\r\nTo: <sip:nm2@nm2>\r\nCall-ID: 50000\r\nCSeq: 42 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n');
    const { code, out } = await run(['parse', '--json', sub, join(dir, 'missing.sip')]);
    expect(code).toBe(1);
    const [first, second] = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(first).toMatchObject({ ok: true, message: { method: 'OPTIONS', callId: '50000', from: { tag: 'root' } } });
    expect(second).toMatchObject({ ok: false, error: { code: 'GG_ERR_READ', message: 'no such file' } });
  });

  it('reads no more than one maximum-size message from a huge file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-parse-'));
    const big = join(dir, 'big.sip');
    writeFileSync(big, Buffer.alloc(5_000_000, 0x41));
    const { code, out } = await run(['parse', '--json', big]);
    expect(code).toBe(1);
    expect(JSON.parse(out).error.code).toMatch(/^SIP_(TOO_LARGE|NOT_SIP|BAD_START_LINE)$/);
  });

  it('exits 2 with usage when no file is given', async () => {
    const { code, err } = await run(['parse']);
    expect(code).toBe(2);
    expect(err).toContain('Usage: ghostguard parse');
  });
});

describe('ghostguard', () => {
  it('prints help and exits 0 with no command', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toContain('parse');
  });

  it('rejects an unknown command with exit 2', async () => {
    const { code, err } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'frobnicate'");
  });
});
