import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, linearity, mutationsOf, sipish } from '../../test/support/fuzz-strings.js';
import { tortureHeader } from '../../test/support/torture-headers.js';
import { parseCSeq } from './cseq.js';
import { SipError } from './errors.js';

function fail(text: string): SipError {
  const r = parseCSeq(text);
  if (!(r instanceof SipError)) throw new Error(`${JSON.stringify(text)}: expected an error, got ${JSON.stringify(r)}`);
  return r;
}

describe('parseCSeq: 1*DIGIT LWS Method (RFC 3261 §20.16)', () => {
  it('reads a sequence number and method', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(parseCSeq(' 1 REGISTER ')).toEqual({ seq: 1, method: 'REGISTER' });
    expect(parseCSeq('0 OPTIONS')).toEqual({ seq: 0, method: 'OPTIONS' });
    expect(parseCSeq('8\tBYE')).toEqual({ seq: 8, method: 'BYE' });
  });

  it('accepts leading zeros and a fold before the method (RFC 4475 §3.1.1.1 wsinv: "0009\\r\\n  INVITE")', () => {
    expect(parseCSeq(tortureHeader('rfc4475/wsinv.dat', 'cseq'))).toEqual({ seq: 9, method: 'INVITE' });
  });

  it('keeps an extension method exactly as written, case included (RFC 4475 §3.1.1.2 intmeth, §3.1.1.5 esc02)', () => {
    expect(parseCSeq(tortureHeader('rfc4475/intmeth.dat', 'CSeq'))).toEqual({
      seq: 139122385,
      method: "!interesting-Method0123456789_*+`.%indeed'~",
    });
    expect(parseCSeq(tortureHeader('rfc4475/esc02.dat', 'CSeq'))).toEqual({ seq: 29344, method: 'RE%47IST%45R' });
    expect(parseCSeq('1 invite')).toEqual({ seq: 1, method: 'invite' });
  });

  it('"MUST be less than 2**31" (RFC 3261 §8.1.1.5)', () => {
    expect(parseCSeq('2147483647 ACK')).toEqual({ seq: 2147483647, method: 'ACK' });
    expect(fail('2147483648 ACK')).toMatchObject({ code: 'SIP_BAD_CSEQ', offset: 0 });
    expect(fail('4294967296 INVITE').offset).toBe(0);
  });

  it('refuses huge numbers without overflowing (RFC 4475 §3.1.2.4 scalar02, §3.1.2.5 scalarlg)', () => {
    expect(fail(tortureHeader('rfc4475/scalar02.dat', 'CSeq')).message).toMatch(/2\*\*31/);
    expect(fail(tortureHeader('rfc4475/scalarlg.dat', 'CSeq')).message).toMatch(/2\*\*31/);
    expect(fail('9'.repeat(1000) + ' INVITE').offset).toBe(0);
    expect(fail('0'.repeat(1000) + '2147483648 INVITE').offset).toBe(0);
    expect(parseCSeq('0'.repeat(1000) + '7 INVITE')).toEqual({ seq: 7, method: 'INVITE' });
  });

  it('refuses malformed values with the offset of the fault', () => {
    expect(fail('')).toMatchObject({ code: 'SIP_BAD_CSEQ', offset: 0 });
    expect(fail('INVITE').offset).toBe(0);
    expect(fail('-1 INVITE').offset).toBe(0);
    expect(fail('1INVITE').offset).toBe(1);
    expect(fail('1 ').offset).toBe(2);
    expect(fail('1 INVITE x').offset).toBe(8);
    expect(fail('1 INV;ITE').offset).toBe(5);
    expect(fail('1.5 INVITE').offset).toBe(1);
  });

  it('returns a CSeq or a SipError with an offset inside the text, never throws (property)', () => {
    const check = (text: string) => {
      const r = parseCSeq(text);
      if (r instanceof SipError) {
        expect(r.code).toBe('SIP_BAD_CSEQ');
        expect(r.offset).toBeGreaterThanOrEqual(0);
        expect(r.offset).toBeLessThanOrEqual(text.length);
      } else {
        expect(r.seq).toBeLessThan(2 ** 31);
        expect(Number.isInteger(r.seq)).toBe(true);
      }
    };
    fc.assert(fc.property(anyBytes, check), { numRuns: 200 });
    fc.assert(fc.property(sipish, check), { numRuns: 200 });
    fc.assert(fc.property(mutationsOf(['4711 INVITE', '0009\r\n  INVITE', '2147483647 ACK']), check), { numRuns: 500 });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (n) => {
        const r = parseCSeq(`${n} INVITE`);
        if (n < 2n ** 31n) expect(r).toEqual({ seq: Number(n), method: 'INVITE' });
        else expect(r).toBeInstanceOf(SipError);
      }),
      { numRuns: 300 },
    );
  });

  it('takes time linear in the input', () => {
    for (const build of [
      (n: number) => '1'.repeat(n),
      (n: number) => '1 ' + 'A'.repeat(n) + ' x',
      (n: number) => '0'.repeat(n) + '7 INVITE',
    ]) {
      expect(linearity(parseCSeq, build)).toMatchObject({ ok: true });
    }
  });
});
