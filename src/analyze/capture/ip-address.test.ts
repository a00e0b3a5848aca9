import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6 } from './ip-address.js';
import { parseAddress } from './packet-builder.js';

describe('IP addresses as text (RFC 5952 for IPv6)', () => {
  it('IPv4 dotted quad', () => {
    expect(formatIpv4(Buffer.from([0, 198, 51, 100, 7]), 1)).toBe('198.51.100.7');
  });
  const cases: [string, string][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:10', '2001:db8:0:1::10'], // the longest zero run, not the first
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // a tie: the first run
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not shortened
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:ffff:c000:20a', '::ffff:192.0.2.10'],
  ];
  for (const [written, canonical] of cases) {
    it(`${written} → ${canonical}`, () => {
      const a = parseAddress(written);
      expect(a.version).toBe(6);
      expect(formatIpv6(a.bytes, 0)).toBe(canonical);
      expect(formatIpv6(parseAddress(canonical).bytes, 0)).toBe(canonical);
    });
  }
  it('parseAddress refuses what is not an IP literal', () => {
    expect(() => parseAddress('voip.example.test')).toThrow('not an IP address');
  });
});
