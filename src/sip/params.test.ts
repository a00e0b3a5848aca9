import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, distinctParams, linearity, mutationsOf, sipish } from '../../test/support/fuzz-strings.js';
import { SipError } from './errors.js';
import { parseParams } from './params.js';

function ok(text: string, start = 0): { params: Array<[string, string | null]>; end: number } {
  const r = parseParams(text, start);
  if (r instanceof SipError) throw new Error(`${JSON.stringify(text)}: ${r.message} @${r.offset}`);
  return { params: [...r.params], end: r.end };
}

function fail(text: string, start = 0): SipError {
  const r = parseParams(text, start);
  if (!(r instanceof SipError)) throw new Error(`${JSON.stringify(text)}: expected an error`);
  return r;
}

describe('parseParams: *( SEMI generic-param ) (RFC 3261 §25.1)', () => {
  it('reads token values and flags, names lower-cased, values as written', () => {
    expect(ok(';tag=6434396633623535313363340131363433373533')).toEqual({
      params: [['tag', '6434396633623535313363340131363433373533']],
      end: 45,
    });
    expect(ok(';Branch=z9hG4bK-1131591547;RPORT;Expires=3600').params).toEqual([
      ['branch', 'z9hG4bK-1131591547'],
      ['rport', null],
      ['expires', '3600'],
    ]);
  });

  it('allows LWS, folds included, around ";" and "=" (RFC 4475 §3.1.1.1 wsinv)', () => {
    expect(ok(' ;   tag    = 1918181833n').params).toEqual([['tag', '1918181833n']]);
    expect(ok('\r\n  ;\r\n  tag = 98asjd8').params).toEqual([['tag', '98asjd8']]);
    expect(ok(' ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33').params).toEqual([
      ['newparam', 'newvalue'],
      ['secondparam', null],
      ['q', '0.33'],
    ]);
    expect(ok('   ;\r\n  branch  =   z9hG4bK9ikj8').params).toEqual([['branch', 'z9hG4bK9ikj8']]);
  });

  it('unquotes quoted-string values and resolves quoted-pairs', () => {
    expect(ok(';+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"').params).toEqual([
      ['+sip.instance', '<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>'],
    ]);
    expect(ok(';x="a \\"b\\" ;c, d"').params).toEqual([['x', 'a "b" ;c, d']]);
    expect(ok(';x=""').params).toEqual([['x', '']]);
  });

  it('reads the RFC 4475 §3.1.1.2 intmeth From parameters (every token char, UTF-8 quoted value)', () => {
    const text = `;fromParam''~+*_!.-%="\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9";tag=_token~1'+\`*%!-.`;
    expect(ok(text).params).toEqual([
      ["fromparam''~+*_!.-%", '\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9'],
      ['tag', "_token~1'+`*%!-."],
    ]);
  });

  it('accepts host values: IPv6 references and bare IPv6 addresses (RFC 5118 §4.5)', () => {
    expect(ok(';maddr=[2001:db8::1]').params).toEqual([['maddr', '[2001:db8::1]']]);
    expect(ok(';received=2001:db8::9:255;branch=z9hG4bKas3').params).toEqual([
      ['received', '2001:db8::9:255'],
      ['branch', 'z9hG4bKas3'],
    ]);
    expect(ok(';received=192.0.2.200').params).toEqual([['received', '192.0.2.200']]);
  });

  it('stops before the first character that cannot continue the list and reports where', () => {
    expect(ok(';a=1 , <sip:x>;b')).toEqual({ params: [['a', '1']], end: 5 });
    expect(ok(';lr>rest')).toEqual({ params: [['lr', null]], end: 3 });
    expect(ok('xx;a', 2)).toEqual({ params: [['a', null]], end: 4 });
    expect(ok('   ')).toEqual({ params: [], end: 3 });
    expect(ok('')).toEqual({ params: [], end: 0 });
    expect(ok('abc')).toEqual({ params: [], end: 0 });
    expect(ok(';tag=abc def').end).toBe(9);
  });

  it('refuses empty parameters (RFC 4475 §3.1.2.1 badinv01: ";;;;")', () => {
    expect(fail(';;;;')).toMatchObject({ code: 'SIP_BAD_PARAM', offset: 1 });
    expect(fail(';a;;b').offset).toBe(3);
    expect(fail(';a;').offset).toBe(3);
    expect(fail(' ; ').offset).toBe(3);
  });

  it('refuses a missing or malformed value', () => {
    expect(fail(';tag=').offset).toBe(5);
    expect(fail(';tag= ;x').offset).toBe(6);
    expect(fail(';tag="abc').offset).toBe(5);
    expect(fail(';a=b:c').offset).toBe(3); // a ':' only in an IPv6 address
    expect(fail(';a=[::1').offset).toBe(3);
    expect(fail(';a=[zz]').offset).toBe(3);
    expect(fail(';a="x\x01"').offset).toBe(5);
  });

  it('refuses a repeated name, whatever its case', () => {
    expect(fail(';tag=1;tag=2')).toMatchObject({ code: 'SIP_BAD_PARAM', offset: 7 });
    expect(fail(';lr;LR').message).toMatch(/duplicate/);
  });

  it('returns params or a SipError with an offset inside the text, never throws (property)', () => {
    const check = (text: string) => {
      const r = parseParams(text, 0);
      if (r instanceof SipError) {
        expect(r.code).toBe('SIP_BAD_PARAM');
        expect(r.offset).toBeGreaterThanOrEqual(0);
        expect(r.offset).toBeLessThanOrEqual(text.length);
      } else {
        expect(r.end).toBeGreaterThanOrEqual(0);
        expect(r.end).toBeLessThanOrEqual(text.length);
      }
    };
    fc.assert(fc.property(anyBytes, check), { numRuns: 300 });
    fc.assert(fc.property(sipish, check), { numRuns: 500 });
    fc.assert(fc.property(mutationsOf([';tag=1;lr;q="0.5";received=::1', ' ; a = [::1] ; b'], ), check), { numRuns: 500 });
  });

  it('takes time linear in the input', () => {
    for (const build of [
      (n: number) => distinctParams(n / 8, null),
      (n: number) => ';a=' + 'b'.repeat(n),
      (n: number) => ';a="' + '\\"'.repeat(n / 2),
      (n: number) => ';a=[' + ':'.repeat(n),
      (n: number) => distinctParams(n / 10, '[::1]') + ';;',
      (n: number) => distinctParams(n / 12, '"q"', ' ; '),
      (n: number) => ';' + ' '.repeat(n),
    ]) {
      expect(linearity((s) => parseParams(s, 0), build)).toMatchObject({ ok: true });
    }
  });
});
