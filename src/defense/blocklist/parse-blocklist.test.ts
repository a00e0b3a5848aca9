import { describe, expect, it } from 'vitest';
import { parseBlocklist } from './parse-blocklist.js';

describe('parseBlocklist', () => {
  it('reads one address or block per line, with comments and blank lines', () => {
    const text = '# APIBAN list\n198.51.100.66\n\n  203.0.113.0/24  # a scanner farm\r\n2001:DB8::1\n198.51.100.66\n::ffff:192.0.2.9\n';
    const r = parseBlocklist(text);
    expect(r).toMatchObject({ ok: true, format: 'text', invalid: 0, overLimit: 0 });
    if (!r.ok) return;
    expect(r.entries).toEqual(['198.51.100.66', '203.0.113.0/24', '2001:db8::1', '192.0.2.9']);
  });

  it('skips bad lines, counts them and locates the first few', () => {
    const lines = ['198.51.100.1', 'not an address', '10.0.0.0/40', ...Array.from({ length: 10 }, (_, i) => `bad${i}`), '198.51.100.2'];
    const r = parseBlocklist(lines.join('\n'), { maxProblems: 3 });
    if (!r.ok) throw new Error(r.error);
    expect(r.entries).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(r.invalid).toBe(12);
    expect(r.problems).toEqual([
      { line: 2, excerpt: 'not an address', message: '"not an address" is not an IPv4 or IPv6 address' },
      { line: 3, excerpt: '10.0.0.0/40', message: 'prefix /40 is too long for an IPv4 address (at most /32)' },
      { line: 4, excerpt: 'bad0', message: '"bad0" is not an IPv4 or IPv6 address' },
    ]);
  });

  it('keeps excerpts of hostile lines short and printable', () => {
    const r = parseBlocklist(`\u001b[31m${'x'.repeat(500)}\n`);
    if (!r.ok) throw new Error(r.error);
    expect(r.problems[0]!.excerpt).toMatch(/^\\u001b\[31mx+…$/);
    expect(r.problems[0]!.excerpt.length).toBeLessThan(60);
  });

  it('reads JSON: an array, or APIBAN\'s object with an ipaddress array', () => {
    const a = parseBlocklist('["198.51.100.66", "2001:db8::/48", 7]');
    expect(a).toMatchObject({ ok: true, format: 'json', entries: ['198.51.100.66', '2001:db8::/48'], invalid: 1 });
    const b = parseBlocklist('{"ipaddress": ["203.0.113.5"], "ID": "1234"}');
    expect(b).toMatchObject({ ok: true, entries: ['203.0.113.5'] });
    expect(parseBlocklist('{"ip": []}')).toEqual({ ok: false, error: expect.stringMatching(/"ipaddress" array/) });
    expect(parseBlocklist('[1, 2')).toEqual({ ok: false, error: expect.stringMatching(/^not valid JSON/) });
  });

  it('takes at most maxEntries and counts the rest', () => {
    const text = Array.from({ length: 50 }, (_, i) => `10.1.0.${i}`).join('\n');
    const r = parseBlocklist(text, { maxEntries: 20 });
    expect(r).toMatchObject({ ok: true, overLimit: 30 });
    if (r.ok) expect(r.entries).toHaveLength(20);
  });
});
