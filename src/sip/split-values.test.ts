import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, linearity, sipish } from '../../test/support/fuzz-strings.js';
import { tortureHeader } from '../../test/support/torture-headers.js';
import { firstHeaderValue, splitHeaderValues } from './split-values.js';

const values = (text: string) => splitHeaderValues(text).map((p) => p.value);

describe('splitHeaderValues (RFC 3261 §7.3.1)', () => {
  it('splits on commas and trims LWS, with offsets into the text', () => {
    expect(splitHeaderValues(' INVITE, ACK ,BYE')).toEqual([
      { value: 'INVITE', offset: 1 },
      { value: 'ACK', offset: 9 },
      { value: 'BYE', offset: 14 },
    ]);
  });

  it('returns the text itself, not a copy, for a single untrimmed value', () => {
    const text = '<sip:alice@atlanta.com>';
    expect(splitHeaderValues(text)).toEqual([{ value: text, offset: 0 }]);
  });

  it('splits a folded list (RFC 4475 §3.1.1.9 semiuri Accept)', () => {
    expect(values(tortureHeader('rfc4475/semiuri.dat', 'Accept'))).toEqual([
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  });

  it('does not split inside a quoted-string, \\" included', () => {
    expect(values('"Bell, Alexander" <sip:a@b>, "x\\", y" <sip:c@d>')).toEqual([
      '"Bell, Alexander" <sip:a@b>',
      '"x\\", y" <sip:c@d>',
    ]);
  });

  it('does not split inside <...> (a user part may hold commas: RFC 4475 §3.1.1.2 intmeth)', () => {
    const to = tortureHeader('rfc4475/intmeth.dat', 'To');
    expect(values(to)).toEqual([to.trim()]);
    expect(values('<sip:a,b@x>;q=1, <sip:c@y>')).toEqual(['<sip:a,b@x>;q=1', '<sip:c@y>']);
  });

  it('splits a multi-value Via (RFC 4475 §3.1.1.1 wsinv)', () => {
    const parts = splitHeaderValues(tortureHeader('rfc4475/wsinv.dat', 'v'));
    expect(parts.map((p) => p.value)).toEqual([
      'SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8',
      'SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239',
    ]);
  });

  it('keeps empty values so that the caller can refuse them (RFC 4475 §3.1.1.1 wsinv, §3.1.2.1 badinv01)', () => {
    expect(values(tortureHeader('rfc4475/wsinv.dat', 'UnknownHeaderWithUnusualValue'))).toEqual([';;', '', ';;', ';']);
    expect(values('a,,b,')).toEqual(['a', '', 'b', '']);
    expect(values(',')).toEqual(['', '']);
  });

  it('gives no values for an empty or blank text', () => {
    expect(splitHeaderValues('')).toEqual([]);
    expect(splitHeaderValues(' \t\r\n ')).toEqual([]);
  });

  it('makes the rest one value after an unterminated quote or "<"', () => {
    expect(values('a, "b, c')).toEqual(['a', '"b, c']);
    expect(values('a, <sip:b, c')).toEqual(['a', '<sip:b, c']);
    expect(values('"a\\')).toEqual(['"a\\']);
  });

  it('a quote inside <...> is an ordinary character', () => {
    expect(values('<sip:"@x>, b')).toEqual(['<sip:"@x>', 'b']);
  });

  it('firstHeaderValue gives the first value without splitting the rest', () => {
    expect(firstHeaderValue(' SIP/2.0/UDP a;branch=1 , SIP/2.0/UDP b')).toEqual({ value: 'SIP/2.0/UDP a;branch=1', offset: 1 });
    expect(firstHeaderValue('"a, b" <sip:x>, <sip:y>')).toEqual({ value: '"a, b" <sip:x>', offset: 0 });
    expect(firstHeaderValue(',b')).toEqual({ value: '', offset: 0 });
    expect(firstHeaderValue('')).toBeNull();
    expect(firstHeaderValue('  ')).toBeNull();
  });

  it('never throws; every value is the trimmed text at its offset (property)', () => {
    const check = (text: string) => {
      const parts = splitHeaderValues(text);
      let last = -1;
      for (const p of parts) {
        expect(text.slice(p.offset, p.offset + p.value.length)).toBe(p.value);
        expect(p.value).toBe(p.value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
        expect(p.offset).toBeGreaterThan(last);
        last = p.offset;
      }
      if (!text.includes(',')) expect(parts.length).toBeLessThanOrEqual(1);
      expect(firstHeaderValue(text)).toEqual(parts[0] ?? null);
    };
    fc.assert(fc.property(anyBytes, check), { numRuns: 300 });
    fc.assert(fc.property(sipish, check), { numRuns: 500 });
  });

  it('joining the values of a comma-free-quote list gives the list back (property)', () => {
    const token = fc.string({ unit: fc.constantFrom(...'abcXYZ019-.!%*_+`\'~'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 10 }), (items) => {
        expect(values(items.join(' , '))).toEqual(items);
      }),
      { numRuns: 200 },
    );
  });

  it('takes time linear in the input', () => {
    for (const build of [
      (n: number) => ','.repeat(n),
      (n: number) => '"' + '\\'.repeat(n),
      (n: number) => '<'.repeat(n),
      (n: number) => ' '.repeat(n) + 'a',
      (n: number) => ' ,'.repeat(n / 2),
    ]) {
      expect(linearity(splitHeaderValues, build)).toMatchObject({ ok: true });
    }
  });
});
