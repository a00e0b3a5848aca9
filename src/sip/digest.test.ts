import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, distinctParams, linearity, mutationsOf, sipish } from '../../test/support/fuzz-strings.js';
import { tortureHeader } from '../../test/support/torture-headers.js';
import { answerDigestChallenge, digestResponse, formatDigestCredentials, parseDigest } from './digest.js';
import { SipError } from './errors.js';
import type { DigestParams } from './types.js';

function ok(text: string): DigestParams {
  const r = parseDigest(text);
  if (r instanceof SipError) throw new Error(`${JSON.stringify(text)}: ${r.message} @${r.offset}`);
  return r;
}

function fail(text: string): SipError {
  const r = parseDigest(text);
  if (!(r instanceof SipError)) throw new Error(`${JSON.stringify(text)}: expected an error`);
  return r;
}

const asObject = (d: DigestParams) => ({ scheme: d.scheme, params: Object.fromEntries(d.params) });

describe('parseDigest (RFC 3261 §25.1 challenge / credentials, RFC 2617)', () => {
  it('reads the RFC 3261 §20.44 WWW-Authenticate example', () => {
    const text =
      'Digest realm="atlanta.com",\r\n domain="sip:boxesbybob.com", qop="auth",\r\n nonce="f84f1cec41e6cbe5aea9c8e88d359",\r\n opaque="", stale=FALSE, algorithm=MD5';
    expect(asObject(ok(text))).toEqual({
      scheme: 'Digest',
      params: {
        realm: 'atlanta.com',
        domain: 'sip:boxesbybob.com',
        qop: 'auth',
        nonce: 'f84f1cec41e6cbe5aea9c8e88d359',
        opaque: '',
        stale: 'FALSE',
        algorithm: 'MD5',
      },
    });
  });

  it('reads the RFC 3261 §20.7 Authorization example (names lower-cased, quotes removed)', () => {
    const text =
      'Digest username="Alice", realm="atlanta.com",\r\n nonce="84a4cc6f3082121f32b42a2187831a9e",\r\n response="7587245234b3434cc3412213e5f113a5432"';
    expect(asObject(ok(text)).params).toEqual({
      username: 'Alice',
      realm: 'atlanta.com',
      nonce: '84a4cc6f3082121f32b42a2187831a9e',
      response: '7587245234b3434cc3412213e5f113a5432',
    });
    expect(ok('DIGEST Username="a", NC=00000001').scheme).toBe('Digest');
    expect(ok('DIGEST Username="a", NC=00000001').params.get('nc')).toBe('00000001');
  });

  it('keeps an unknown scheme as written (RFC 4475 §3.3.7 regaut01)', () => {
    expect(asObject(ok(tortureHeader('rfc4475/regaut01.dat', 'Authorization')))).toEqual({
      scheme: 'NoOneKnowsThisScheme',
      params: { 'opaque-data': 'here' },
    });
  });

  it('reads an svcrack-style Authorization (a password guess)', () => {
    const d = ok(
      'Digest username="100",realm="asterisk",nonce="1c2d3e4f",uri="sip:100@192.0.2.10",response="0123456789abcdef0123456789abcdef",algorithm=MD5',
    );
    expect(d.params.get('uri')).toBe('sip:100@192.0.2.10');
    expect(d.params.get('response')).toHaveLength(32);
  });

  it('resolves quoted-pairs and skips empty list elements', () => {
    expect(ok('Digest realm="a \\"b\\" c"').params.get('realm')).toBe('a "b" c');
    expect([...ok('Digest a=1,, ,b=2,').params]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('refuses malformed values with the offset of the fault', () => {
    expect(fail('')).toMatchObject({ code: 'SIP_BAD_DIGEST', offset: 0 });
    expect(fail('Digest').offset).toBe(6);
    expect(fail('Digest   ').offset).toBe(9);
    expect(fail('Digest,realm="a"').offset).toBe(6);
    expect(fail('Digest realm').offset).toBe(12);
    expect(fail('Digest realm=').offset).toBe(13);
    expect(fail('Digest realm="a').offset).toBe(13);
    expect(fail('Digest realm="a" nonce="b"').offset).toBe(17);
    expect(fail('Digest realm=a b').offset).toBe(15);
    expect(fail('Digest uri=sip:a@b').offset).toBe(14); // a URI must be quoted
    expect(fail('Basic dXNlcjpwYXNz').offset).toBe(18); // token68 is not in the SIP grammar (RFC 3261 §25.1 credentials)
  });

  it('"each parameter name MUST only occur once" (RFC 7235 §2.1)', () => {
    expect(fail('Digest realm="a", REALM="b"')).toMatchObject({ code: 'SIP_BAD_DIGEST', offset: 18 });
  });

  it('returns params or a SipError with an offset inside the text, never throws (property)', () => {
    const check = (text: string) => {
      const r = parseDigest(text);
      if (r instanceof SipError) {
        expect(r.code).toBe('SIP_BAD_DIGEST');
        expect(r.offset).toBeGreaterThanOrEqual(0);
        expect(r.offset).toBeLessThanOrEqual(text.length);
      } else {
        expect(r.params.size).toBeGreaterThan(0);
      }
    };
    const seeds = ['Digest realm="atlanta.com", qop="auth", nonce="f84f", opaque="", stale=FALSE, algorithm=MD5'];
    fc.assert(fc.property(anyBytes, check), { numRuns: 200 });
    fc.assert(fc.property(sipish, check), { numRuns: 300 });
    fc.assert(fc.property(mutationsOf(seeds), check), { numRuns: 500 });
  });

  it('takes time linear in the input', () => {
    for (const build of [
      (n: number) => 'Digest ' + ','.repeat(n),
      (n: number) => 'Digest a="' + '\\"'.repeat(n / 2),
      (n: number) => 'Digest' + distinctParams(n / 10, '"x"', ', ', ' ') + ', p0=1',
    ]) {
      expect(linearity(parseDigest, build)).toMatchObject({ ok: true });
    }
  });
});

describe('digestResponse (RFC 2617 §3.2.2, RFC 7616 §3.4.1)', () => {
  it('matches the RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    expect(
      digestResponse({
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  it('matches the RFC 7616 §3.9.1 examples (MD5 and SHA-256)', () => {
    expect(digestResponse(rfc7616)).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('computes the RFC 2069 form without qop: H(HA1:nonce:HA2)', () => {
    const { qop: _q, nc: _n, cnonce: _c, ...plain } = rfc7616;
    const withoutQop = digestResponse(plain);
    expect(withoutQop).toMatch(/^[0-9a-f]{32}$/);
    expect(withoutQop).not.toBe(digestResponse(rfc7616));
    expect(digestResponse({ ...plain, password: 'wrong' })).not.toBe(withoutQop);
  });

  it('throws for qop=auth without a cnonce (a programming error, not attacker input)', () => {
    expect(() => digestResponse({ ...rfc7616, cnonce: undefined })).toThrow(TypeError);
  });
});

describe('formatDigestCredentials and answerDigestChallenge', () => {
  it('formats credentials that parseDigest reads back', () => {
    const text = formatDigestCredentials({
      username: 'bo"b',
      realm: 'atlanta.com',
      nonce: 'n1',
      uri: 'sip:atlanta.com',
      response: 'abc',
      algorithm: 'MD5',
      opaque: 'o',
      qop: 'auth',
      cnonce: 'c1',
    });
    expect(text).toBe(
      'Digest username="bo\\"b", realm="atlanta.com", nonce="n1", uri="sip:atlanta.com", response="abc", algorithm=MD5, cnonce="c1", opaque="o", qop=auth, nc=00000001',
    );
    expect(asObject(ok(text)).params).toEqual({
      username: 'bo"b',
      realm: 'atlanta.com',
      nonce: 'n1',
      uri: 'sip:atlanta.com',
      response: 'abc',
      algorithm: 'MD5',
      cnonce: 'c1',
      opaque: 'o',
      qop: 'auth',
      nc: '00000001',
    });
  });

  it('answers a challenge with credentials whose response a registrar would verify', () => {
    const challenge = ok('Digest realm="atlanta.com", qop="auth,auth-int", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="xyz", algorithm=SHA-256');
    const answer = answerDigestChallenge(challenge, { username: 'bob', password: 'zanzibar', method: 'REGISTER', uri: 'sip:atlanta.com' });
    if (answer instanceof SipError) throw new Error(answer.message);
    const creds = ok(answer).params;
    expect(creds.get('qop')).toBe('auth');
    expect(creds.get('opaque')).toBe('xyz');
    expect(creds.get('algorithm')).toBe('SHA-256');
    expect(creds.get('cnonce')).toMatch(/^[0-9a-f]{16}$/);
    // The registrar's side of the check:
    const expected = digestResponse({
      algorithm: 'SHA-256',
      username: 'bob',
      realm: 'atlanta.com',
      password: 'zanzibar',
      method: 'REGISTER',
      uri: 'sip:atlanta.com',
      nonce: 'ea9c8e88df84f1cec4341ae6cbe5a359',
      qop: 'auth',
      nc: creds.get('nc')!,
      cnonce: creds.get('cnonce')!,
    });
    expect(creds.get('response')).toBe(expected);
  });

  it('answers a challenge without qop in the RFC 2069 form', () => {
    const answer = answerDigestChallenge(ok('Digest realm="r", nonce="n"'), { username: 'u', password: 'p', method: 'INVITE', uri: 'sip:x@r' });
    expect(answer).toBe(
      `Digest username="u", realm="r", nonce="n", uri="sip:x@r", response="${digestResponse({ username: 'u', realm: 'r', password: 'p', method: 'INVITE', uri: 'sip:x@r', nonce: 'n' })}"`,
    );
  });

  it('refuses challenges it cannot answer', () => {
    const answer = (text: string) => answerDigestChallenge(ok(text), { username: 'u', password: 'p', method: 'REGISTER', uri: 'sip:r' });
    expect(answer('Digest realm="r"')).toBeInstanceOf(SipError);
    expect(answer('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toMatchObject({ code: 'SIP_BAD_DIGEST' });
    expect(answer('Digest realm="r", nonce="n", qop="auth-int"')).toMatchObject({ code: 'SIP_BAD_DIGEST' });
    expect(answer('Basic realm="r", nonce="n"')).toMatchObject({ code: 'SIP_BAD_DIGEST' });
  });
});
