import { describe, expect, it } from 'vitest';
import { formatConfigError } from './config-error.js';
import { DEFENSE_DEFAULTS } from './defense-config.js';
import { describeDefense } from './describe-defense.js';
import { parseConfig } from './parse-config.js';

const BASE = `provider:
  domain: voip.example.test
lan:
  listen: 10.77.0.1
`;

function parse(extra: string) {
  return parseConfig(BASE + extra, 'ghostguard.yaml', { baseDir: '/etc/gg', fileExists: () => false });
}

describe('defense: config section', () => {
  it('takes the defaults when absent', () => {
    const result = parse('');
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
    expect(result.config.defense).toEqual(DEFENSE_DEFAULTS);
  });

  it('reads every key', () => {
    const result = parse(`defense:
  dry_run: true
  nftables: true
  blocklists:
    - file: /etc/ghostguard/apiban.txt
      every: 30m
    - url: https://lists.example.test/scanners.json
  rate: { requests_per_second: 20, burst: 40, max_sources: 5000 }
  bans: { duration_s: 600, max_duration_s: 86400, flood_s: 5, refused: 8, refused_window_s: 30 }
  password: { failures: 5, window_s: 300, account_failures: 12, retry_s: 60 }
`);
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
    expect(result.config.defense).toEqual({
      dryRun: true,
      nftables: true,
      blocklists: [
        { source: { file: '/etc/ghostguard/apiban.txt' }, everySeconds: 1800 },
        { source: { url: 'https://lists.example.test/scanners.json' }, everySeconds: 6 * 3600 },
      ],
      rate: { requestsPerSecond: 20, burst: 40, maxSources: 5000 },
      bans: { durationSeconds: 600, maxDurationSeconds: 86400, floodSeconds: 5, refused: 8, refusedWindowSeconds: 30 },
      password: { failures: 5, windowSeconds: 300, accountFailures: 12, retrySeconds: 60 },
    });
    expect(describeDefense(result.config.defense)).toEqual([
      'Rate limit: 20 requests/s per source (bursts of 40), 5000 sources tracked at most',
      'Bans: a source rate-limited for 5 s, or refused 8 times in 30 s, is banned for 10 min, doubling for repeat offenders up to 1 d; never the provider, the LAN or a registered phone',
      'Password guessing: 5 failed REGISTERs in 5 min ban a source; an account with 12 failures gets one attempt per 60 s from each failing source',
      'Kernel offload: bans are copied into the nftables table inet ghostguard',
      'Blocklists: /etc/ghostguard/apiban.txt every 30 min; https://lists.example.test/scanners.json every 6 h',
      'Dry run: automatic bans are only recorded and shown, not enforced',
    ]);
  });

  it('reports located errors in blocklists: both file and url, a bad URL, a bad duration', () => {
    const result = parse(`defense:
  blocklists:
    - file: /a.txt
      url: https://x.example.test/l.txt
    - url: ftp://x.example.test/l.txt
    - file: /b.txt
      every: 10s
    - just-a-string
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('give either file or url'),
        expect.stringContaining('is not an http:// or https:// URL'),
        expect.stringContaining('expected a duration from 60s to 30d'),
        expect.stringContaining('expected a mapping with file or url'),
      ]),
    );
  });

  it('reports located errors: out of range, unknown keys, not a boolean, max shorter than the first ban', () => {
    const result = parse(`defense:
  dry_run: maybe
  rate:
    max_sources: 10
    burst_size: 4
  bans:
    duration_s: 7200
    max_duration_s: 3600
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e]));
    expect(byPath['defense.dry_run']?.message).toContain('expected one of true, false');
    expect(byPath['defense.rate.max_sources']).toMatchObject({ line: 8, message: '10 is out of range (64..10000000)' });
    expect(byPath['defense.rate.burst_size']?.message).toContain('unknown key "burst_size"');
    expect(byPath['defense.bans.max_duration_s']?.message).toBe('max_duration_s (3600) is shorter than duration_s (7200)');
  });
});
