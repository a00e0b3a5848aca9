import { describe, expect, it } from 'vitest';
import { classifyHost, hostKindAt, isIpv4, isIpv6, scanHost } from './host.js';

const whole = (f: (s: string, a: number, b: number) => boolean) => (s: string) => f(s, 0, s.length);
const ipv4 = whole(isIpv4);
const ipv6 = whole(isIpv6);
const hostname = (s: string) => classifyHost(s, 0, s.length) === 'domain';

describe('isIpv4 (RFC 3261 §25.1 IPv4address, octets 0..255 per RFC 5954)', () => {
  it.each(['0.0.0.0', '1.1.1.1', '192.0.2.1', '255.255.255.255', '127.0.1.1', '010.001.000.009'])(
    'accepts %s',
    (s) => expect(ipv4(s)).toBe(true),
  );
  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.256', '1..2.3', '1.2.3.4.', '1234.1.1.1', 'a.b.c.d', '1.2.3.-4', ' 1.2.3.4'])(
    'refuses %j',
    (s) => expect(ipv4(s)).toBe(false),
  );
});

describe('isIpv6 (RFC 3261 §25.1 IPv6address, RFC 5118)', () => {
  it.each([
    '::',
    '::1',
    '1::',
    '2001:db8::10',
    '2001:db8::9:1',
    '2001:db8::10:5070', // RFC 5118 §4.3 port-ambiguous: a valid address
    '2001:0db8:0000:0000:0000:0000:0000:0001',
    '1:2:3:4:5:6:7:8',
    '::ffff:192.0.2.10', // RFC 5118 §4.9 IPv4-mapped
    '2001:db8::192.0.2.1', // RFC 5118 §4.10 two-colon form
    '2001:db8:::192.0.2.1', // RFC 5118 §4.10 three colons, allowed by the RFC 3261 ABNF
    '1:2:3:4:5:6:1.2.3.4',
    'FFFF::abcd',
  ])('accepts %s', (s) => expect(ipv6(s)).toBe(true));
  it.each([
    '',
    ':',
    ':1',
    '1:',
    '1:2:3:4:5:6:7', // too few pieces without "::"
    '1:2:3:4:5:6:7:8:9',
    '1::2::3', // two "::"
    '1:2:3:4:5:6:7::8', // "::" standing for nothing
    '12345::1', // a piece of five digits
    'g::1',
    '2001:db8::256.1.1.1',
    '1:2:3:4:5:6:7:1.2.3.4', // nine pieces with the IPv4 tail
    '::ffff:1.2.3',
    '2001:db8::::1',
    '[::1]',
  ])('refuses %j', (s) => expect(ipv6(s)).toBe(false));
});

describe('hostnames (RFC 3261 §25.1 hostname)', () => {
  it.each(['example.com', 'example.com.', 'a', 'chair-dnrc.example.com', 'host5.example.net', '_sip._udp.example.com', 'x1.y2.z'])(
    'accepts %s',
    (s) => expect(hostname(s)).toBe(true),
  );
  it.each(['', '.', '.example.com', 'a..b', '-a.com', 'a-.com', 'example.123', '1.2.3.4', 'exa mple.com', 'ex@mple'])(
    'refuses %j (top label must start with a letter, labels must not start or end with "-")',
    (s) => expect(hostname(s)).toBe(false),
  );
});

describe('classifyHost', () => {
  it('tells the three host kinds apart', () => {
    const kind = (s: string) => classifyHost(s, 0, s.length);
    expect(kind('example.com')).toBe('domain');
    expect(kind('192.0.2.1')).toBe('ipv4');
    expect(kind('[2001:db8::1]')).toBe('ipv6');
    expect(kind('2001:db8::1')).toBeNull(); // an IPv6 host needs its brackets (RFC 5118 §4.2)
    expect(kind('[]')).toBeNull();
    expect(kind('[2001:db8::1')).toBeNull();
    expect(kind('192.0.2.300')).toBeNull();
    expect(kind('')).toBeNull();
  });
  it('scanHost finds where a host ends, hostKindAt names it', () => {
    const s = 'SIP/2.0/UDP pc33.atlanta.example.com:5060;x';
    const end = scanHost(s, 12, s.length);
    expect(s.slice(12, end)).toBe('pc33.atlanta.example.com');
    expect(hostKindAt(s, 12, end)).toBe('domain');
    expect(scanHost('192.0.2.1;x', 0, 11)).toBe(9);
    expect(hostKindAt('192.0.2.1;x', 0, 9)).toBe('ipv4');
    expect(scanHost('[::1]:5060', 0, 10)).toBe(5);
    expect(scanHost('[::1]', 0, 4)).toBe(-1); // the "]" lies outside the range
    expect(scanHost('1.2.3.4.', 0, 8)).toBe(-1);
    expect(scanHost('a-.b', 0, 4)).toBe(-1);
    expect(scanHost(';', 0, 1)).toBe(-1);
  });
  it('works on a range inside a longer string', () => {
    const s = 'sip:user@[::1]:5060';
    expect(classifyHost(s, 9, 14)).toBe('ipv6');
    expect(classifyHost(s, 4, 8)).toBe('domain');
  });
});
