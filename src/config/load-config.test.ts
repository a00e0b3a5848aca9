import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gg-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves the store and TLS files against the config file folder, and checks the files exist', () => {
    mkdirSync(join(dir, 'tls'));
    writeFileSync(join(dir, 'tls', 'gg.crt'), 'cert');
    writeFileSync(join(dir, 'tls', 'gg.key'), 'key');
    const path = join(dir, 'ghostguard.yaml');
    writeFileSync(
      path,
      'provider:\n  domain: voip.example.test\nwan:\n  transports: [udp, tls]\n  tls:\n    cert: tls/gg.crt\n    key: tls/gg.key\n    port: 5061\nlan:\n  listen: 10.77.0.1\nstore: data.db\n',
    );
    const result = loadConfig(path);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.store).toBe(join(dir, 'data.db'));
    expect(result.config.wan.tls).toEqual({ cert: join(dir, 'tls', 'gg.crt'), key: join(dir, 'tls', 'gg.key'), port: 5061 });
    expect(result.config.source).toBe(path);
  });

  it('refuses a TLS "file" that is a folder', () => {
    mkdirSync(join(dir, 'tls'));
    const path = join(dir, 'gg.yaml');
    writeFileSync(path, 'provider:\n  domain: a.test\nwan:\n  transports: [tls]\n  tls:\n    cert: tls\n    key: tls\nlan:\n  listen: 10.77.0.1\n');
    const result = loadConfig(path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.path, e.line])).toEqual([['wan.tls.cert', 6], ['wan.tls.key', 7]]);
  });

  it('reports a file it cannot read as a config error, not an exception', () => {
    const result = loadConfig(join(dir, 'missing.yaml'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ code: 'GG_ERR_CONFIG', path: '' });
      expect(result.errors[0]!.message).toBe(`cannot read ${join(dir, 'missing.yaml')}: no such file`);
    }
  });
});
