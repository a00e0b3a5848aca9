import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

async function check(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gg-check-'));
  writeFileSync(join(dir, 'gg.yaml'), yaml);
  const io = memoryIo({}, dir);
  const code = await runCli(['check-config', 'gg.yaml'], io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('ghostguard check-config', () => {
  it('describes a valid config and exits 0', async () => {
    const { code, out } = await check(
      ['provider:', '  domain: voip.example.test', '  trusted: [203.0.113.0/28]', 'wan:', '  listen: 192.0.2.30:0', 'lan:', '  listen: 10.77.0.1:5060', '  allow: [10.77.0.0/24]', ''].join('\n'),
    );
    expect(code).toBe(0);
    expect(out).toContain('gg.yaml: valid');
    expect(out).toContain('voip.example.test');
    expect(out).toContain('203.0.113.0/28');
  });

  it('lists every problem with file, line, column and code, and exits 1', async () => {
    const { code, err } = await check(['provider:', '  domian: voip.example.test', 'wan:', '  listen: 192.0.2.30:70000', 'lan:', '  listen: 10.77.0.1:5060', ''].join('\n'));
    expect(code).toBe(1);
    expect(err).toMatch(/gg\.yaml:4:\d+: wan\.listen: .*70000.*\[GG_ERR_CONFIG\]/);
    expect(err).toMatch(/domian.*domain/);
  });

  it('reports a missing file clearly', async () => {
    const io = memoryIo({}, tmpdir());
    const code = await runCli(['check-config', 'does-not-exist.yaml'], io);
    expect(code).toBe(1);
    expect(io.stderr.join('')).toContain('no such file');
  });
});
