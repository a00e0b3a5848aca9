import { describe, expect, it } from 'vitest';
import { AddressSet } from './address-set.js';
import { formatCidr, parseCidr } from './cidr.js';

function set(...entries: string[]): AddressSet {
  const result = AddressSet.parse(entries);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.set;
}

describe('parseCidr', () => {
  it('reads blocks and single addresses, clearing host bits', () => {
    expect(formatCidr(parseCidr('203.0.113.0/28') as never)).toBe('203.0.113.0/28');
    expect(formatCidr(parseCidr('203.0.113.5/28') as never)).toBe('203.0.113.0/28');
    expect(formatCidr(parseCidr('203.0.113.5') as never)).toBe('203.0.113.5');
    expect(formatCidr(parseCidr('2001:DB8::7/32') as never)).toBe('2001:db8::/32');
    expect(formatCidr(parseCidr('0.0.0.0/0') as never)).toBe('0.0.0.0/0');
  });

  it('turns an IPv4-mapped block into the IPv4 block', () => {
    expect(formatCidr(parseCidr('::ffff:10.0.0.0/104') as never)).toBe('10.0.0.0/8');
  });

  it('says what is wrong', () => {
    expect(parseCidr('203.0.113.0/33')).toBe('prefix /33 is too long for an IPv4 address (at most /32)');
    expect(parseCidr('2001:db8::/129')).toBe('prefix /129 is too long for an IPv6 address (at most /128)');
    expect(parseCidr('1.2.3/24')).toBe('"1.2.3" is not an IPv4 or IPv6 address');
    expect(parseCidr('1.2.3.0/')).toBe('"/" is not a prefix length (0..32)');
    expect(parseCidr('1.2.3.0/2a')).toBe('"/2a" is not a prefix length (0..32)');
  });
});

describe('AddressSet', () => {
  it('matches IPv4 blocks and single addresses', () => {
    const s = set('203.0.113.0/28', '198.51.100.7');
    expect(s.has('203.0.113.0')).toBe(true);
    expect(s.has('203.0.113.15')).toBe(true);
    expect(s.has('203.0.113.16')).toBe(false);
    expect(s.has('198.51.100.7')).toBe(true);
    expect(s.has('198.51.100.8')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 peers against IPv4 blocks (dual-stack sockets)', () => {
    const s = set('10.77.0.0/24');
    expect(s.has('::ffff:10.77.0.9')).toBe(true);
    expect(s.has('::ffff:10.78.0.9')).toBe(false);
  });

  it('matches IPv6 blocks at any prefix, zone ignored', () => {
    const s = set('2001:db8::/32', 'fe80::/10', '2001:db9:1:2:3:4:5:0/127');
    expect(s.has('2001:db8:ffff::1')).toBe(true);
    expect(s.has('2001:db9::1')).toBe(false);
    expect(s.has('fe80::1%eth0')).toBe(true);
    expect(s.has('febf::1')).toBe(true);
    expect(s.has('fec0::1')).toBe(false);
    expect(s.has('2001:db9:1:2:3:4:5:1')).toBe(true);
    expect(s.has('2001:db9:1:2:3:4:5:2')).toBe(false);
    expect(s.has('10.0.0.1')).toBe(false);
  });

  it('/0 matches everything of its family only', () => {
    expect(set('0.0.0.0/0').has('198.51.100.66')).toBe(true);
    expect(set('0.0.0.0/0').has('2001:db8::1')).toBe(false);
    expect(set('::/0').has('2001:db8::1')).toBe(true);
  });

  it('is false for anything that is not an address', () => {
    const s = set('0.0.0.0/0');
    expect(s.has('')).toBe(false);
    expect(s.has('voip.example.test')).toBe(false);
    expect(s.has('1.2.3.4:5060')).toBe(false);
  });

  it('reports every bad entry with its index', () => {
    const result = AddressSet.parse(['10.0.0.0/8', 'x', '10.0.0.0/40']);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.index)).toEqual([1, 2]);
  });

  it('de-duplicates, unions and prints canonical text', () => {
    const s = set('10.0.0.5/8', '10.0.0.0/8', '2001:0db8::/32');
    expect(s.toStrings()).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    const u = s.union(set('192.0.2.1'));
    expect(u.size).toBe(3);
    expect(u.has('192.0.2.1')).toBe(true);
    expect(s.has('192.0.2.1')).toBe(false);
    expect(AddressSet.empty.has('10.0.0.1')).toBe(false);
  });
});
