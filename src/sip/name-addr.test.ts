import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, distinctParams, linearity, mutationsOf, sipish } from '../../test/support/fuzz-strings.js';
import { tortureHeader, tortureHeaders } from '../../test/support/torture-headers.js';
import { SipError } from './errors.js';
import { parseNameAddr } from './name-addr.js';
import { splitHeaderValues } from './split-values.js';
import type { NameAddr, SipUri } from './types.js';

function ok(text: string): NameAddr {
  const r = parseNameAddr(text);
  if (r instanceof SipError) throw new Error(`${JSON.stringify(text)}: ${r.code} ${r.message} @${r.offset}`);
  return r;
}

function fail(text: string): SipError {
  const r = parseNameAddr(text);
  if (!(r instanceof SipError)) throw new Error(`${JSON.stringify(text)}: expected an error, got ${JSON.stringify(r)}`);
  return r;
}

const params = (n: NameAddr) => Object.fromEntries(n.params);
const sipUri = (n: NameAddr) => n.uri as SipUri;

describe('parseNameAddr: name-addr and addr-spec (RFC 3261 §20.10)', () => {
  it('reads the SIPVicious From: "sipvicious"<sip:100@1.1.1.1>;tag=...', () => {
    const n = ok('"sipvicious"<sip:100@1.1.1.1>;tag=6434396633623535313363340131363433373533');
    expect(n.displayName).toBe('sipvicious');
    expect(sipUri(n)).toMatchObject({ scheme: 'sip', user: '100', host: '1.1.1.1' });
    expect(params(n)).toEqual({ tag: '6434396633623535313363340131363433373533' });
    expect(n.raw).toBe('"sipvicious"<sip:100@1.1.1.1>;tag=6434396633623535313363340131363433373533');
  });

  it('reads a name-addr without display name, and with a token display name', () => {
    expect(ok('<sip:alice@atlanta.com>;tag=1928301774')).toMatchObject({ displayName: null, raw: '<sip:alice@atlanta.com>;tag=1928301774' });
    const bob = ok('Bob <sip:bob@biloxi.com>');
    expect(bob.displayName).toBe('Bob');
    expect(sipUri(bob).user).toBe('bob');
    expect(ok('PBX  Admin\t<sip:1000@10.0.0.1>').displayName).toBe('PBX Admin');
  });

  it('URI parameters inside <> belong to the URI, those after it to the header (RFC 4475 §3.3.13 cparam02)', () => {
    const n = ok(tortureHeader('rfc4475/cparam02.dat', 'Contact'));
    expect([...sipUri(n).params]).toEqual([['unknownparam', null]]);
    expect(n.params.size).toBe(0);
    const route = ok('<sip:services.example.com;lr;unknownwith=value;unknown-no-value>');
    expect([...sipUri(route).params.keys()]).toEqual(['lr', 'unknownwith', 'unknown-no-value']);
  });

  it('in addr-spec form every ;param is a header parameter (RFC 4475 §3.3.12 cparam01)', () => {
    const n = ok(tortureHeader('rfc4475/cparam01.dat', 'Contact'));
    expect(n.displayName).toBeNull();
    expect(sipUri(n)).toMatchObject({ user: '+19725552222', host: 'gw1.example.net' });
    expect(sipUri(n).params.size).toBe(0);
    expect(params(n)).toEqual({ unknownparam: null });
  });

  it('refuses "?" or "," in an addr-spec URI (RFC 4475 §3.1.2.13 regbadct), accepts them in <> (§3.3.14 regescrt)', () => {
    const bad = fail(tortureHeader('rfc4475/regbadct.dat', 'Contact'));
    expect(bad.code).toBe('SIP_BAD_NAME_ADDR');
    expect(bad.offset).toBe(21); // the '?' after " sip:user@example.com"
    const good = ok(tortureHeader('rfc4475/regescrt.dat', 'M'));
    expect(sipUri(good).headers).toEqual([['Route', '%3Csip:sip.example.com%3E']]);
    expect(fail('sip:a,b@example.com').offset).toBe(5);
  });

  it('reads the RFC 4475 §3.1.1.1 wsinv addresses (folds, LWS around ";" and "=", escaped quotes)', () => {
    const to = ok(tortureHeader('rfc4475/wsinv.dat', 'TO'));
    expect(to.displayName).toBeNull();
    expect(sipUri(to)).toMatchObject({ user: 'vivekg', host: 'chair-dnrc.example.com' });
    expect(params(to)).toEqual({ tag: '1918181833n' });
    expect(to.raw).toBe('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n');

    const from = ok(tortureHeader('rfc4475/wsinv.dat', 'from'));
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(params(from)).toEqual({ tag: '98asjd8' });

    const contact = ok(tortureHeader('rfc4475/wsinv.dat', 'm'));
    expect(contact.displayName).toBe('Quoted string ""');
    expect(params(contact)).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
  });

  it('reads the RFC 4475 §3.1.1.2 intmeth addresses', () => {
    const to = ok(tortureHeader('rfc4475/intmeth.dat', 'To'));
    expect(to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(sipUri(to).user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    const from = ok(tortureHeader('rfc4475/intmeth.dat', 'From'));
    expect(from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(from.params.get('tag')).toBe("_token~1'+`*%!-.");
    expect(from.params.get("fromparam''~+*_!.-%")).toHaveLength(20); // UTF-8 bytes
  });

  it('§3.1.1.5 esc02: a "%" in a quoted display name is not an escape', () => {
    expect(ok(tortureHeader('rfc4475/esc02.dat', 'To')).displayName).toBe('%Z%45');
  });

  it('§3.1.1.6 lwsdisp: no white space between the display name and "<"', () => {
    const n = ok(tortureHeader('rfc4475/lwsdisp.dat', 'From'));
    expect(n.displayName).toBe('caller');
    expect(sipUri(n).user).toBe('caller');
    expect(n.params.get('tag')).toBe('323');
  });

  it('§3.1.1.7 longreq: a very long display name and very long parameters', () => {
    const to = ok(tortureHeader('rfc4475/longreq.dat', 'To'));
    expect(to.displayName).toMatch(/^I have a user name of (extreme){10} proportion$/);
    expect(sipUri(to).port).toBe(6000);
    const from = ok(tortureHeader('rfc4475/longreq.dat', 'F'));
    expect(from.params.get('tag')).toMatch(/^1(298){50}2424$/);
  });

  it('§3.3.4 unksm2: unknown schemes in name-addr and addr-spec', () => {
    expect(ok(tortureHeader('rfc4475/unksm2.dat', 'To')).uri).toEqual({ scheme: 'isbn', raw: 'isbn:2983792873' });
    const from = ok(tortureHeader('rfc4475/unksm2.dat', 'From'));
    expect(from.uri).toEqual({ scheme: 'http', raw: 'http://www.example.com' });
    expect(from.params.get('tag')).toBe('3234233');
    expect(ok(tortureHeader('rfc4475/unksm2.dat', 'Contact')).uri.scheme).toBe('name');
  });

  it('§3.1.2.6 quotbal: an unclosed quote is refused', () => {
    expect(fail(tortureHeader('rfc4475/quotbal.dat', 'To'))).toMatchObject({ code: 'SIP_BAD_NAME_ADDR', offset: 1 });
  });

  it('§3.1.2.14 badaspec: white space inside < > is refused, with the offset of the URI', () => {
    const e = fail(tortureHeader('rfc4475/badaspec.dat', 'To'));
    expect(e.code).toBe('SIP_BAD_URI');
    expect(e.offset).toBe(19); // the space after '<' in ' "Watson, Thomas" < sip:...'
  });

  it('§3.1.2.15 baddn: an unquoted display name with a comma is refused', () => {
    const [from] = tortureHeaders('rfc4475/baddn.dat', 'From');
    expect(fail(from!)).toMatchObject({ code: 'SIP_BAD_NAME_ADDR', offset: 8 });
    // ... while the quoted form is fine (badaspec's From)
    expect(ok(tortureHeader('rfc4475/badaspec.dat', 'From')).displayName).toBe('Bell, Alexander');
  });

  it('§3.1.2.1 badinv01: ";;;;" after a Contact is refused', () => {
    expect(fail(tortureHeader('rfc4475/badinv01.dat', 'Contact')).code).toBe('SIP_BAD_PARAM');
  });

  it('RFC 5118 §4.9: an IPv6 Contact with a display name', () => {
    const n = ok(tortureHeader('rfc5118/ipv4-mapped-ipv6.dat', 'Contact'));
    expect(n.displayName).toBe('T. desk phone');
    expect(sipUri(n)).toMatchObject({ host: '::ffff:192.0.2.2', hostKind: 'ipv6' });
  });

  it('reads each Contact of a comma-separated list', () => {
    const list = '"A, B" <sip:a@x;p=1>;q=0.5, <sip:b,c@y>, sip:d@z;expires=60';
    const all = splitHeaderValues(list).map((v) => ok(v.value));
    expect(all.map((n) => n.displayName)).toEqual(['A, B', null, null]);
    expect(all.map((n) => sipUri(n).user)).toEqual(['a', 'b,c', 'd']);
    expect(all[2]!.params.get('expires')).toBe('60');
  });

  it('refuses the structural errors with fitting offsets', () => {
    expect(fail('')).toMatchObject({ code: 'SIP_BAD_NAME_ADDR', offset: 0 });
    expect(fail('   ').offset).toBe(3);
    expect(fail('<sip:a@b').offset).toBe(0); // no '>'
    expect(fail('"x" sip:a@b').offset).toBe(4); // a quoted display name needs <>
    expect(fail('Bob sip:a@b').offset).toBe(7); // ':' inside a display name
    expect(fail('Bob').offset).toBe(3);
    expect(fail('<sip:a@b> x').offset).toBe(10);
    expect(fail('<sip:a@b>;tag=1 <x>').offset).toBe(16);
    expect(fail('sip:a@b <sip:c@d>').offset).toBe(8);
    expect(fail('sip:user@<example.com>').code).toBe('SIP_BAD_URI'); // '<' inside an addr-spec (cf. ltgtruri)
    expect(fail('*').offset).toBe(1); // a lone token: Contact: * is the caller's business
    expect(fail('<sip:a@b;lr;lr>')).toMatchObject({ code: 'SIP_BAD_URI', offset: 12 });
  });

  it('returns a NameAddr or a SipError with an offset inside the text, never throws (property)', () => {
    const check = (text: string) => {
      const r = parseNameAddr(text);
      if (r instanceof SipError) {
        expect(['SIP_BAD_NAME_ADDR', 'SIP_BAD_URI', 'SIP_BAD_PARAM']).toContain(r.code);
        expect(r.offset).toBeGreaterThanOrEqual(0);
        expect(r.offset).toBeLessThanOrEqual(text.length);
      } else {
        expect(text).toContain(r.raw);
      }
    };
    const seeds = [
      '"sipvicious"<sip:100@1.1.1.1>;tag=6434396633623535313363340131363433373533',
      '"J Rosenberg \\\\\\""       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8',
      'caller<sip:caller@example.com>;tag=323',
      'sip:+19725552222@gw1.example.net;unknownparam',
      'PBX <sips:[2001:db8::1]:5061;transport=tls>;expires=60;+sip.instance="<urn:x>"',
    ];
    fc.assert(fc.property(anyBytes, check), { numRuns: 300 });
    fc.assert(fc.property(sipish, check), { numRuns: 500 });
    fc.assert(fc.property(mutationsOf(seeds), check), { numRuns: 1000 });
  });

  it('takes time linear in the input', () => {
    for (const build of [
      (n: number) => 'a '.repeat(n / 2),
      (n: number) => '"' + 'a'.repeat(n),
      (n: number) => '"' + '\\"'.repeat(n / 2) + '" <',
      (n: number) => '<' + 'sip:a@b'.repeat(n / 7),
      (n: number) => 'sip:a@b' + distinctParams(n / 8, null),
      (n: number) => '<sip:a@b' + distinctParams(n / 20, '1') + '>' + distinctParams(n / 20, '1'),
    ]) {
      expect(linearity(parseNameAddr, build)).toMatchObject({ ok: true });
    }
  });
});
