import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIp, isLoopbackIp, parseIp, parseIPv4Word, unmapIp } from './ip-address.js';

describe('parseIp', () => {
  it('reads dotted quads', () => {
    expect(parseIp('203.0.113.10')).toEqual({ family: 4, words: [0xcb00710a] });
    expect(parseIp('0.0.0.0')).toEqual({ family: 4, words: [0] });
    expect(parseIp('255.255.255.255')).toEqual({ family: 4, words: [0xffffffff] });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.', '.1.2.3', '010.0.0.1', '1.2.3.4 ', 'a.b.c.d', '1.2.3.-4'])(
    'refuses the IPv4 text %j',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );

  it('reads RFC 4291 §2.2 forms: full, compressed, embedded IPv4', () => {
    expect(parseIp('2001:db8:0:0:0:0:0:1')?.words).toEqual([0x20010db8, 0, 0, 1]);
    expect(parseIp('2001:DB8::1')?.words).toEqual([0x20010db8, 0, 0, 1]);
    expect(parseIp('::')?.words).toEqual([0, 0, 0, 0]);
    expect(parseIp('::1')?.words).toEqual([0, 0, 0, 1]);
    expect(parseIp('fe80::')?.words).toEqual([0xfe800000, 0, 0, 0]);
    expect(parseIp('::ffff:192.0.2.1')?.words).toEqual([0, 0, 0xffff, 0xc0000201]);
    expect(parseIp('1:2:3:4:5:6:7::')?.words).toEqual([0x10002, 0x30004, 0x50006, 0x70000]);
  });

  it.each([':', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7:', ':1:2:3:4:5:6:7', '12345::1', 'g::1', '::1.2.3', '1.2.3.4::', '1:2:3:4:5:6:7:1.2.3.4'])(
    'refuses the IPv6 text %j',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );

  it('accepts a zone only when asked, and ignores it', () => {
    expect(parseIp('fe80::1%eth0')).toBeNull();
    expect(parseIp('fe80::1%eth0', true)?.words).toEqual([0xfe800000, 0, 0, 1]);
    expect(parseIp('1.2.3.4%eth0', true)).toBeNull();
  });
});

describe('formatIp', () => {
  it('writes RFC 5952 text: lower case, the longest zero run as ::, no :: for a single zero group', () => {
    expect(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIp('::')).toBe('::');
    expect(canonicalIp('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalIp('198.51.100.7')).toBe('198.51.100.7');
    expect(canonicalIp('nope')).toBeNull();
  });

  it('writes an IPv4-mapped address with its IPv4 part dotted (RFC 5952 §5), as the capture reader does', () => {
    expect(canonicalIp('::FFFF:c000:0201')).toBe('::ffff:192.0.2.1');
    expect(formatIp(parseIp('0:0:0:0:0:ffff:a00:7')!)).toBe('::ffff:10.0.0.7');
    expect(canonicalIp('::fffe:c000:201')).toBe('::fffe:c000:201');
  });

  it('round-trips any address (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 4 }), (words) => {
        const text = formatIp({ family: 6, words });
        expect(parseIp(text)?.words).toEqual(words);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (word) => {
        expect(parseIPv4Word(formatIp({ family: 4, words: [word] }))).toBe(word);
      }),
    );
  });
});

describe('unmapIp and isLoopbackIp', () => {
  it('turns ::ffff:a.b.c.d (RFC 4291 §2.5.5.2) into the IPv4 address', () => {
    expect(unmapIp(parseIp('::ffff:10.0.0.7')!)).toEqual(parseIp('10.0.0.7'));
    expect(unmapIp(parseIp('::10.0.0.7')!).family).toBe(6);
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackIp(parseIp('127.0.0.1')!)).toBe(true);
    expect(isLoopbackIp(parseIp('127.9.9.9')!)).toBe(true);
    expect(isLoopbackIp(parseIp('::1')!)).toBe(true);
    expect(isLoopbackIp(parseIp('::ffff:127.0.0.1')!)).toBe(true);
    expect(isLoopbackIp(parseIp('10.0.0.1')!)).toBe(false);
    expect(isLoopbackIp(parseIp('::')!)).toBe(false);
  });
});
