import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, distinctParams, linearity, mutationsOf, sipish } from '../../test/support/fuzz-strings.js';
import { tortureHeader, tortureStartLine } from '../../test/support/torture-headers.js';
import { SipError } from './errors.js';
import { formatUri, parseUri } from './uri.js';
import type { SipUri, TelUri, Uri } from './types.js';

function sip(text: string): SipUri {
  const uri = parseUri(text);
  if (uri instanceof SipError) throw new Error(`${text}: ${uri.code} ${uri.message} @${uri.offset}`);
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') throw new Error(`${text}: not a sip URI`);
  return uri as SipUri;
}

function error(text: string): SipError {
  const r = parseUri(text);
  if (!(r instanceof SipError)) throw new Error(`${text}: expected an error, got ${JSON.stringify(r)}`);
  return r;
}

/** The Request-URI of a torture message. */
function requestUri(file: string): string {
  return tortureStartLine(file).split(' ')[1]!;
}

/** The URI between < and > of a header value. */
function bracketed(value: string): string {
  return value.slice(value.indexOf('<') + 1, value.indexOf('>'));
}

describe('parseUri: sip and sips (RFC 3261 §19.1.1)', () => {
  it('reads every part of "sip:user:password@host:port;uri-parameters?headers"', () => {
    const u = sip('sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
    expect(u).toMatchObject({
      scheme: 'sip',
      user: 'alice',
      password: 'secretword',
      host: 'atlanta.com',
      hostKind: 'domain',
      port: 5061,
      headers: [
        ['subject', 'project%20x'],
        ['priority', 'urgent'],
      ],
    });
    expect([...u.params]).toEqual([
      ['transport', 'tcp'],
      ['lr', null],
    ]);
    expect(u.raw).toBe('sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
  });

  it('reads the RFC 3261 §19.1.3 examples', () => {
    expect(sip('sip:alice@atlanta.com')).toMatchObject({ user: 'alice', host: 'atlanta.com', port: null, password: null });
    expect(sip('sips:alice@atlanta.com?subject=project%20x&priority=urgent').scheme).toBe('sips');
    const phone = sip('sip:+1-212-555-1212:1234@gateway.com;user=phone');
    expect(phone).toMatchObject({ user: '+1-212-555-1212', password: '1234', host: 'gateway.com' });
    expect(phone.params.get('user')).toBe('phone');
    expect(sip('sip:alice@192.0.2.4')).toMatchObject({ host: '192.0.2.4', hostKind: 'ipv4' });
    const reg = sip('sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com');
    expect(reg).toMatchObject({ user: null, host: 'atlanta.com', headers: [['to', 'alice%40atlanta.com']] });
    expect(reg.params.get('method')).toBe('REGISTER');
    expect(sip('sip:alice;day=tuesday@atlanta.com')).toMatchObject({ user: 'alice;day=tuesday', host: 'atlanta.com' });
  });

  it('compares schemes case-insensitively and lower-cases them (RFC 3261 §19.1.4)', () => {
    expect(sip('SIP:alice@atlanta.com').scheme).toBe('sip');
    expect(sip('SiPs:alice@atlanta.com').scheme).toBe('sips');
    expect((parseUri('TEL:+12125551212') as TelUri).scheme).toBe('tel');
    expect(parseUri('HTTP://www.example.com')).toEqual({ scheme: 'http', raw: 'HTTP://www.example.com' });
  });

  it('lower-cases parameter names but keeps values and host as written', () => {
    const u = sip('sip:Bob@BiloXi.COM;TRANSPORT=TCP;Maddr=X.example');
    expect(u.host).toBe('BiloXi.COM');
    expect(u.params.get('transport')).toBe('TCP');
    expect(u.params.get('maddr')).toBe('X.example');
  });

  it('reads the scanner Request-URI and From URI (SIPVicious svmap: sip:100@1.1.1.1)', () => {
    expect(sip('sip:100@1.1.1.1')).toMatchObject({ user: '100', host: '1.1.1.1', hostKind: 'ipv4', port: null });
    expect(sip('sip:100@198.51.100.7:5060')).toMatchObject({ port: 5060 });
  });
});

describe('parseUri: RFC 4475 torture URIs', () => {
  it('§3.1.1.1 wsinv: an unknown Request-URI parameter is a flag', () => {
    const u = sip(requestUri('rfc4475/wsinv.dat'));
    expect([...u.params]).toEqual([['unknownparam', null]]);
  });

  it('§3.1.1.2 intmeth: user and password made of every allowed character', () => {
    const u = sip(requestUri('rfc4475/intmeth.dat'));
    expect(u.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(u.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(u.host).toBe('example.com');
    const to = sip(bracketed(tortureHeader('rfc4475/intmeth.dat', 'To')));
    expect(to.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  });

  it('§3.1.1.3 esc01: escaped user parts are kept escaped; escaped parameters are decoded', () => {
    expect(sip(requestUri('rfc4475/esc01.dat'))).toMatchObject({ user: 'sips%3Auser%40example.com', host: 'example.net' });
    expect(sip(tortureHeader('rfc4475/esc01.dat', 'To').trim()).user).toBe('%75se%72');
    expect(sip(bracketed(tortureHeader('rfc4475/esc01.dat', 'From'))).user).toBe('I%20have%20spaces');
    const contact = sip(bracketed(tortureHeader('rfc4475/esc01.dat', 'Contact')));
    expect(contact.user).toBe('cal%6Cer');
    // ;%6C%72 is ;lr and n%61me=v%61lue%25%34%31 is name=value%41 (RFC 3261 §19.1.4)
    expect([...contact.params]).toEqual([
      ['lr', null],
      ['name', 'value%41'],
    ]);
  });

  it('§3.1.1.4 escnull: %00 stays an escape in the user part', () => {
    const to = tortureHeader('rfc4475/escnull.dat', 'To').trim();
    expect(sip(to).user).toBe('null-%00-null');
  });

  it('§3.1.1.9 semiuri: ";" and an escaped "@" belong to the user part', () => {
    const u = sip(requestUri('rfc4475/semiuri.dat'));
    expect(u.user).toBe('user;par=u%40example.net');
    expect(u.host).toBe('example.com');
    expect(u.params.size).toBe(0);
  });

  it('§3.1.2.11 escruri: the ?Route= header is parsed (validation refuses it in a Request-URI)', () => {
    expect(sip(requestUri('rfc4475/escruri.dat')).headers).toEqual([['Route', '%3Csip:example.com%3E']]);
  });

  it('§3.1.2.7 ltgtruri: a URI in angle brackets is not a URI', () => {
    expect(error(requestUri('rfc4475/ltgtruri.dat')).offset).toBe(0);
  });

  it('§3.3.2 unkscm, §3.3.3 novelsc, §3.3.4 unksm2: unknown schemes are kept opaque', () => {
    expect(parseUri(requestUri('rfc4475/unkscm.dat'))).toEqual({
      scheme: 'nobodyknowsthisscheme',
      raw: 'nobodyKnowsThisScheme:totallyopaquecontent',
    });
    expect(parseUri(requestUri('rfc4475/novelsc.dat'))).toMatchObject({ scheme: 'soap.beep' });
    expect(parseUri(tortureHeader('rfc4475/unksm2.dat', 'To').trim())).toEqual({ scheme: 'isbn', raw: 'isbn:2983792873' });
    expect(parseUri('http://www.example.com')).toMatchObject({ scheme: 'http' });
    expect(parseUri('name:John_Smith')).toMatchObject({ scheme: 'name' });
  });
});

describe('parseUri: IPv6 references (RFC 5118)', () => {
  it('§4.1 ipv6-good: bracketed hosts, the brackets removed', () => {
    expect(sip(requestUri('rfc5118/ipv6-good.dat'))).toMatchObject({ host: '2001:db8::10', hostKind: 'ipv6', port: null });
  });
  it('§4.2 ipv6-bad: an IPv6 address without brackets is refused', () => {
    expect(requestUri('rfc5118/ipv6-bad.dat')).toBe('sip:2001:db8::10');
    expect(error('sip:2001:db8::10').code).toBe('SIP_BAD_URI');
  });
  it('§4.3 port-ambiguous and §4.4 port-unambiguous', () => {
    expect(sip(requestUri('rfc5118/port-ambiguous.dat'))).toMatchObject({ host: '2001:db8::10:5070', port: null });
    expect(sip(requestUri('rfc5118/port-unambiguous.dat'))).toMatchObject({ host: '2001:db8::10', port: 5070 });
  });
  it('§4.10 ipv6-bug-abnf-3-colons and ipv6-correct-abnf-2-colons both parse', () => {
    expect(sip(requestUri('rfc5118/ipv6-bug-abnf-3-colons.dat')).host).toBe('2001:db8:::192.0.2.1');
    expect(sip(requestUri('rfc5118/ipv6-correct-abnf-2-colons.dat')).host).toBe('2001:db8::192.0.2.1');
  });
  it('§4.9 ipv4-mapped-ipv6 Contact', () => {
    const contact = tortureHeader('rfc5118/ipv4-mapped-ipv6.dat', 'Contact');
    expect(sip(bracketed(contact))).toMatchObject({ user: 'ted', host: '::ffff:192.0.2.2', hostKind: 'ipv6' });
  });
  it('refuses a bad or unclosed IPv6 reference', () => {
    expect(error('sip:[2001:db8::1').message).toMatch(/\]/);
    expect(error('sip:[2001:db8::1::2]').offset).toBe(4);
    expect(error('sip:user@[]').offset).toBe(9);
  });
});

describe('parseUri: ports, hosts, parameters and headers', () => {
  it('accepts ports 0..65535 and refuses larger ones without overflowing (RFC 4475 §3.1.2.4 scalar02)', () => {
    expect(sip('sip:h:0').port).toBe(0);
    expect(sip('sip:h:65535').port).toBe(65535);
    expect(sip('sip:h:0005060').port).toBe(5060);
    expect(error('sip:h:65536')).toMatchObject({ code: 'SIP_BAD_URI', offset: 6 });
    expect(error('sip:h:' + '9'.repeat(400)).offset).toBe(6);
    expect(error('sip:h:').offset).toBe(6);
    expect(error('sip:h:50a').offset).toBe(8);
  });
  it('refuses bad hosts', () => {
    expect(error('sip:alice@192.0.2.256').offset).toBe(10);
    expect(error('sip:alice@').message).toMatch(/missing host/);
    expect(error('sip:alice@-bad.example').offset).toBe(10);
    expect(error('sip:alice@exa mple.com').offset).toBe(13);
    expect(error('sip:').message).toMatch(/missing host/);
    expect(sip('sip:_sip._udp.example.com').hostKind).toBe('domain');
    expect(sip('sip:example.com.').host).toBe('example.com.');
  });
  it('refuses a bad userinfo', () => {
    expect(error('sip:@example.com').message).toMatch(/empty user/);
    expect(error('sip:a<b@example.com').offset).toBe(5);
    expect(error('sip:a:b:c@example.com').offset).toBe(7);
    expect(error('sip:a%4@example.com')).toMatchObject({ offset: 5, message: expect.stringMatching(/escape/) });
    expect(error('sip:a%GG@example.com').offset).toBe(5);
    expect(error('sip:a@b@example.com').code).toBe('SIP_BAD_URI');
  });
  it('"The same parameter name MUST NOT appear more than once" (RFC 3261 §19.1.1)', () => {
    expect(error('sip:a@b;lr;lr').message).toMatch(/duplicate/);
    expect(error('sip:a@b;transport=udp;TRANSPORT=tcp').offset).toBe(22);
    expect(error('sip:a@b;lr;%6c%72').message).toMatch(/duplicate/); // the same name, escaped
  });
  it('refuses empty parameter names and values, and bad parameter characters', () => {
    expect(error('sip:a@b;;lr').offset).toBe(8);
    expect(error('sip:a@b;').offset).toBe(8);
    expect(error('sip:a@b;transport=').offset).toBe(18);
    expect(error('sip:a@b;x=a"b').offset).toBe(11);
    expect(error('sip:a@b;x=1 ').offset).toBe(11);
  });
  it('refuses malformed URI headers', () => {
    expect(error('sip:a@b?').offset).toBe(8);
    expect(error('sip:a@b?x').offset).toBe(9);
    expect(error('sip:a@b?x=1&').offset).toBe(12);
    expect(sip('sip:a@b?x=').headers).toEqual([['x', '']]);
  });
  it('refuses what is not a URI at all', () => {
    expect(error('').offset).toBe(0);
    expect(error('alan@jasomi.com').offset).toBe(4); // RFC 4475 test.dat: no scheme
    expect(error('1sip:a@b').offset).toBe(0);
    expect(error('foo:').offset).toBe(4);
    expect(error('foo:a b').offset).toBe(5);
    expect(error('urn:<x>').offset).toBe(4);
  });
});

describe('parseUri: tel (RFC 3966)', () => {
  it('reads a global number with visual separators and parameters', () => {
    const t = parseUri('tel:+1-201-555-0123;ext=1234;Phone-Context=example.com') as TelUri;
    expect(t).toMatchObject({ scheme: 'tel', number: '+1-201-555-0123', raw: 'tel:+1-201-555-0123;ext=1234;Phone-Context=example.com' });
    expect([...t.params]).toEqual([
      ['ext', '1234'],
      ['phone-context', 'example.com'],
    ]);
  });
  it('reads a local number with hex digits, * and #', () => {
    expect((parseUri('tel:*21#;phone-context=+1-201') as TelUri).number).toBe('*21#');
    expect((parseUri('tel:7042') as TelUri).number).toBe('7042');
  });
  it('refuses an empty number, letters in a global number, and junk', () => {
    expect(error('tel:').offset).toBe(4);
    expect(error('tel:+').offset).toBe(4);
    expect(error('tel:+12a4').offset).toBe(7);
    expect(error('tel:+-()').offset).toBe(4); // separators but no digit
    expect(error('tel:+1234;=x').offset).toBe(10);
    expect(error('tel:12 34').offset).toBe(6);
  });
});

describe('formatUri', () => {
  it('writes the canonical form of a parsed URI', () => {
    expect(formatUri(sip('SIP:alice:pw@[2001:db8::1]:5060;Transport=TCP;lr?Subject=hi&x=%20'))).toBe(
      'sip:alice:pw@[2001:db8::1]:5060;transport=TCP;lr?Subject=hi&x=%20',
    );
    expect(formatUri(sip('sips:example.com'))).toBe('sips:example.com');
  });
  it('re-escapes decoded parameters (RFC 4475 §3.1.1.3 esc01 Contact)', () => {
    const contact = sip(bracketed(tortureHeader('rfc4475/esc01.dat', 'Contact')));
    expect(formatUri(contact)).toBe('sip:cal%6Cer@host5.example.net;lr;name=value%2541');
  });
  it('escapes characters a hand-built URI may not carry, so nothing can be injected', () => {
    const built: SipUri = {
      ...sip('sip:x@guard.example.net'),
      user: 'tok en>\r\n',
      params: new Map([
        ['x', 'a;b>c'],
        ['é', null],
      ]),
    };
    const text = formatUri(built);
    expect(text).toBe('sip:tok%20en%3E%0D%0A@guard.example.net;x=a%3Bb%3Ec;%E9');
    const again = sip(text);
    expect(again.params.get('x')).toBe('a;b>c');
    expect(again.user).toBe('tok%20en%3E%0D%0A');
  });
  it('writes characters above 0xFF as UTF-8 escapes', () => {
    expect(formatUri({ ...sip('sip:h'), user: '日' })).toBe('sip:%E6%97%A5@h');
  });
  it('parse(format(uri)) gives the same URI for every parsable sip URI (property)', () => {
    fc.assert(
      fc.property(mutationsOf(SEEDS), (text) => {
        const u = parseUri(text);
        if (u instanceof SipError || (u.scheme !== 'sip' && u.scheme !== 'sips')) return;
        const again = parseUri(formatUri(u as SipUri));
        expect(again).toEqual({ ...u, raw: formatUri(u as SipUri) });
      }),
      { numRuns: 400 },
    );
  });
});

const SEEDS = [
  'sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
  'sip:100@1.1.1.1',
  'sip:user@[2001:db8::10]:5070;maddr=[::1]',
  'sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31',
  'sip:user;par=u%40example.net@example.com',
  'tel:+1-201-555-0123;ext=1234',
  'sips:a@b.c;x=%3b',
];

describe('parseUri: robustness', () => {
  const check = (text: string) => {
    let r: Uri | SipError;
    expect(() => (r = parseUri(text))).not.toThrow();
    if (r! instanceof SipError) {
      expect(r.code).toBe('SIP_BAD_URI');
      expect(r.offset).toBeGreaterThanOrEqual(0);
      expect(r.offset).toBeLessThanOrEqual(text.length);
    } else {
      expect(r!.raw).toBe(text);
    }
  };
  it('returns a URI or a SipError with an offset inside the text, never throws (property)', () => {
    fc.assert(fc.property(anyBytes, check), { numRuns: 300 });
    fc.assert(fc.property(sipish, check), { numRuns: 500 });
    fc.assert(fc.property(mutationsOf(SEEDS), check), { numRuns: 500 });
  });
  it('takes time linear in the input (adversarial URIs up to 400 kB)', () => {
    for (const build of [
      (n: number) => 'sip:h' + distinctParams(n / 8, null),
      (n: number) => 'sip:h' + distinctParams(n / 10, '%61') + ';',
      (n: number) => 'tel:+' + '1'.repeat(n / 2) + distinctParams(n / 16, 'x'),
      (n: number) => 'sip:' + 'a'.repeat(n) + '@',
      (n: number) => 'sip:h' + distinctParams(n / 10, 'b') + '?',
      (n: number) => 'sip:' + '%41'.repeat(n / 3) + '@h',
      (n: number) => 'sip:h?' + distinctParams(n / 10, 'v', '&', ''),
      (n: number) => 'sip:[' + '1:'.repeat(n / 2),
      (n: number) => 'x:' + '/'.repeat(n),
    ]) {
      expect(linearity(parseUri, build)).toMatchObject({ ok: true });
    }
  });
});
