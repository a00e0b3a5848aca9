/**
 * RFC 4475 and RFC 5118 torture messages, byte-exact from the RFCs' archives (test/fixtures/sip-torture,
 * see its README), each checked against the manifest's verdict and, for the valid ones, the fields the
 * RFC names.
 *
 * Two deliberate departures from the manifest, both about the unaltered RFC 5118 archive (`rfc5118/`,
 * bare LF line ends): `ipv6-in-sdp` and `mult-ip-in-sdp` declare a Content-Length longer than the
 * body they carry, and RFC 3261 §18.3 says "If the transport packet ends before the end of the message
 * body, this is considered an error." We refuse them (SIP_BODY_TRUNCATED); their `rfc5118-wire/`
 * copies with the length corrected are accepted and checked like every other valid message.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSipError, type SipErrorCode } from './errors.js';
import type { SipMessage } from './message.js';
import { parseMessage } from './parse.js';
import type { NameAddr, SipUri, Via } from './types.js';
import { utf8Text } from './text.js';
import { validate } from './validate.js';

const root = join(import.meta.dirname, '../../test/fixtures/sip-torture');

interface Entry {
  file: string;
  name: string;
  section: string;
  title: string;
  verdict: 'valid' | 'invalid' | 'valid-but-unusual';
  parser: 'accept' | 'reject' | 'accept-then-reject' | 'implementation-defined';
  sha256: string;
}

const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { files: Entry[] };

/** What each refused message must be refused with: [stage, code]. */
const REFUSALS: Record<string, ['parse' | 'validate', SipErrorCode]> = {
  badinv01: ['validate', 'SIP_BAD_PARAM'],
  clerr: ['parse', 'SIP_BODY_TRUNCATED'],
  ncl: ['parse', 'SIP_BAD_CONTENT_LENGTH'],
  scalar02: ['validate', 'SIP_BAD_CSEQ'],
  scalarlg: ['validate', 'SIP_BAD_CSEQ'],
  quotbal: ['validate', 'SIP_BAD_NAME_ADDR'],
  ltgtruri: ['validate', 'SIP_BAD_URI'],
  lwsruri: ['parse', 'SIP_BAD_START_LINE'],
  lwsstart: ['parse', 'SIP_BAD_START_LINE'],
  trws: ['parse', 'SIP_BAD_START_LINE'],
  escruri: ['validate', 'SIP_BAD_URI'],
  baddate: ['validate', 'SIP_BAD_HEADER_VALUE'],
  regbadct: ['validate', 'SIP_BAD_NAME_ADDR'],
  badaspec: ['validate', 'SIP_BAD_URI'],
  baddn: ['validate', 'SIP_BAD_NAME_ADDR'],
  badvers: ['validate', 'SIP_UNSUPPORTED_VERSION'],
  mismatch01: ['validate', 'SIP_CSEQ_METHOD_MISMATCH'],
  mismatch02: ['validate', 'SIP_CSEQ_METHOD_MISMATCH'],
  bigcode: ['parse', 'SIP_BAD_STATUS'],
  insuf: ['validate', 'SIP_MISSING_HEADER'],
  multi01: ['validate', 'SIP_DUPLICATE_HEADER'],
  mcl01: ['validate', 'SIP_BAD_CONTENT_LENGTH'],
  'ipv6-bad': ['validate', 'SIP_BAD_URI'],
  // "valid-but-unusual": parses, but the RFC expects 416 Unsupported URI Scheme.
  unkscm: ['validate', 'SIP_UNSUPPORTED_URI_SCHEME'],
  novelsc: ['validate', 'SIP_UNSUPPORTED_URI_SCHEME'],
  // Implementation-defined (no SIP version on the request line): we refuse it.
  test: ['parse', 'SIP_BAD_START_LINE'],
};

/** The damaged archive copies (see the header comment). */
const TRUNCATED_ARCHIVE = new Set(['rfc5118/ipv6-in-sdp.dat', 'rfc5118/mult-ip-in-sdp.dat']);

function ok<T>(value: T): Exclude<T, { isError: true }> {
  if (isSipError(value)) throw new Error(`unexpected ${value.code}: ${value.message} at ${value.offset}`);
  return value as Exclude<T, { isError: true }>;
}

const sip = (uri: unknown) => uri as SipUri;

/** Field checks for the messages the RFCs describe in detail. */
const FIELDS: Record<string, (m: SipMessage) => void> = {
  wsinv(m) {
    expect(m.method).toBe('INVITE');
    expect(m.requestUri).toBe('sip:vivekg@chair-dnrc.example.com;unknownparam');
    expect(sip(ok(m.uri())).params.has('unknownparam')).toBe(true);
    expect(ok(m.to()).params.get('tag')).toBe('1918181833n');
    const from = ok(m.from());
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(from.params.get('tag')).toBe('98asjd8');
    expect(ok(m.maxForwards())).toBe(68);
    expect(ok(m.callId())).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(ok(m.cseq())).toEqual({ seq: 9, method: 'INVITE' });
    const vias = ok(m.vias()) as readonly Via[];
    expect(vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(m.get('s')).toBe('');
    const contact = (ok(m.contacts()) as readonly NameAddr[])[0]!;
    expect(contact.displayName).toBe('Quoted string ""');
    expect(contact.params.get('newparam')).toBe('newvalue');
    expect(contact.params.get('q')).toBe('0.33');
    expect(m.body.length).toBe(150);
  },
  intmeth(m) {
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(ok(m.cseq()).method).toBe(m.method);
    expect(m.raw.includes(0)).toBe(true);
  },
  esc01(m) {
    expect(sip(ok(m.uri())).user).toBe('sips%3Auser%40example.com');
    expect(sip(ok(m.from()).uri).user).toBe('I%20have%20spaces');
    expect(ok(m.callId())).toBe('esc01.239409asdfakjkn23onasd0-3234');
  },
  escnull(m) {
    const contacts = ok(m.contacts()) as readonly NameAddr[];
    expect(contacts.map((c) => sip(c.uri).user)).toEqual(['%00', '%00%00']);
  },
  esc02(m) {
    expect(m.method).toBe('RE%47IST%45R');
    expect((ok(m.contacts()) as readonly NameAddr[]).length).toBe(2);
    expect(m.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  },
  lwsdisp(m) {
    expect(ok(m.from()).displayName).toBe('caller');
  },
  longreq(m) {
    expect((ok(m.vias()) as readonly Via[]).length).toBe(34);
  },
  dblreq(m) {
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.raw.toString('latin1')).not.toContain('INVITE');
  },
  semiuri(m) {
    const uri = sip(ok(m.uri()));
    expect(uri.user).toBe('user;par=u%40example.net');
    expect(uri.host).toBe('example.com');
    expect(uri.params.size).toBe(0);
    expect(m.values('Accept')).toHaveLength(6);
  },
  transports(m) {
    expect((ok(m.vias()) as readonly Via[]).map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
    expect(ok(m.callId())).toBe('transports.kijh4akdnaqjkwendsasfdj');
  },
  mpart01(m) {
    expect(m.body.length).toBe(553);
    expect(m.get('Content-Type')).toBe('multipart/mixed;boundary=7a9cbec02ceef655');
  },
  unreason(m) {
    expect(m.status).toBe(200);
    expect(utf8Text(m.reason)).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
  },
  noreason(m) {
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
  },
  cparam01(m) {
    const contact = (ok(m.contacts()) as readonly NameAddr[])[0]!;
    expect(contact.params.has('unknownparam')).toBe(true);
    expect(sip(contact.uri).params.has('unknownparam')).toBe(false);
  },
  cparam02(m) {
    const contact = (ok(m.contacts()) as readonly NameAddr[])[0]!;
    expect(contact.params.has('unknownparam')).toBe(false);
    expect(sip(contact.uri).params.has('unknownparam')).toBe(true);
  },
  regescrt(m) {
    const contact = (ok(m.contacts()) as readonly NameAddr[])[0]!;
    expect(sip(contact.uri).headers).toEqual([['Route', '%3Csip:sip.example.com%3E']]);
  },
  unksm2(m) {
    expect(ok(m.to()).uri.scheme).toBe('isbn');
    expect(ok(m.from()).uri.scheme).toBe('http');
  },
  inv2543(m) {
    expect(ok(m.topVia()).branch).toBeNull();
    expect(ok(m.maxForwards())).toBeNull();
    expect(ok(m.from()).params.get('tag')).toBeUndefined();
    expect(m.contentLength()).toBeNull();
    expect(m.body.length).toBeGreaterThan(0);
  },
  badbranch(m) {
    expect(ok(m.topVia()).branch).toBe('z9hG4bK');
  },
  zeromf(m) {
    expect(ok(m.maxForwards())).toBe(0);
  },
  bcast(m) {
    expect((ok(m.vias()) as readonly Via[])[1]!.host).toBe('255.255.255.255');
  },
  'ipv6-good'(m) {
    const uri = sip(ok(m.uri()));
    expect([uri.host, uri.hostKind]).toEqual(['2001:db8::10', 'ipv6']);
    expect(ok(m.topVia()).hostKind).toBe('ipv6');
  },
  'port-ambiguous'(m) {
    const uri = sip(ok(m.uri()));
    expect([uri.host, uri.port]).toEqual(['2001:db8::10:5070', null]);
  },
  'port-unambiguous'(m) {
    const uri = sip(ok(m.uri()));
    expect([uri.host, uri.port]).toEqual(['2001:db8::10', 5070]);
  },
  'via-received-param-with-delim'(m) {
    expect(ok(m.topVia()).received).toContain('2001:db8::9:255');
  },
  'via-received-param-no-delim'(m) {
    expect(ok(m.topVia()).received).toBe('2001:db8::9:255');
  },
  'mult-ip-in-header'(m) {
    const vias = ok(m.vias()) as readonly Via[];
    expect(vias.length).toBeGreaterThanOrEqual(3);
    expect(vias.some((v) => v.hostKind === 'ipv4')).toBe(true);
    expect(vias.some((v) => v.hostKind === 'ipv6')).toBe(true);
  },
  'ipv4-mapped-ipv6'(m) {
    expect(ok(m.topVia()).host.toLowerCase()).toContain('::ffff:');
  },
  'ipv6-bug-abnf-3-colons'(m) {
    expect(sip(ok(m.uri())).host).toBe('2001:db8:::192.0.2.1');
  },
  'ipv6-correct-abnf-2-colons'(m) {
    expect(sip(ok(m.uri())).host).toBe('2001:db8::192.0.2.1');
  },
};

describe('RFC 4475 / RFC 5118 torture messages', () => {
  it('has the 74 fixtures of the manifest', () => {
    expect(manifest.files).toHaveLength(74);
  });

  for (const entry of manifest.files) {
    const label = `${entry.file} (RFC ${entry.section}: ${entry.title}) — ${entry.verdict}`;
    it(label, () => {
      const bytes = readFileSync(join(root, entry.file));
      expect(createHash('sha256').update(bytes).digest('hex'), 'fixture bytes changed (line endings?)').toBe(entry.sha256);
      const parsed = parseMessage(bytes);

      if (TRUNCATED_ARCHIVE.has(entry.file)) {
        expect(isSipError(parsed) && parsed.code).toBe('SIP_BODY_TRUNCATED');
        return;
      }
      const refusal = REFUSALS[entry.name];
      if (refusal) {
        expect(entry.parser === 'accept' || entry.parser === 'implementation-defined' ? entry.verdict : 'invalid').not.toBe('valid');
        const [stage, code] = refusal;
        if (stage === 'parse') {
          expect(isSipError(parsed) ? parsed.code : 'parsed').toBe(code);
        } else {
          const message = ok(parsed);
          const error = validate(message);
          expect(error?.code ?? 'valid').toBe(code);
          expect(error!.offset).toBeGreaterThanOrEqual(0);
        }
        return;
      }
      expect(entry.parser).toBe('accept');
      const message = ok(parsed);
      const error = validate(message);
      expect(error === null ? null : `${error.code}: ${error.message}`).toBeNull();
      expect(message.serialize().equals(message.raw)).toBe(true);
      FIELDS[entry.name]?.(message);
    });
  }

  it('checks fields for the messages the RFCs describe in detail', () => {
    const names = new Set(manifest.files.map((entry) => entry.name));
    for (const name of Object.keys(FIELDS)) expect(names.has(name), name).toBe(true);
    expect(Object.keys(FIELDS).length).toBeGreaterThanOrEqual(30);
  });
});
