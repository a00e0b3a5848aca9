/**
 * URIs: `sip:` / `sips:` (RFC 3261 §19.1, grammar §25.1), `tel:` (RFC 3966) and any other
 * absoluteURI, kept opaque (RFC 3261 §25.1, answered 416 by validation).
 *
 *   SIP-URI     = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo    = ( user / telephone-subscriber ) [ ":" password ] "@"
 *   hostport    = host [ ":" port ]
 *   uri-parameters = *( ";" uri-parameter );  uri-parameter = pname [ "=" pvalue ]
 *   headers     = "?" header *( "&" header );  header = hname "=" hvalue
 *
 * Schemes are case-insensitive (RFC 3261 §19.1.4) and come out lower-cased. The user, password and
 * URI headers are kept as written (still %-escaped). URI parameter names and values are %-decoded
 * (RFC 3261 §19.1.4: an escaped character is equivalent to itself, so `;%6C%72` is `;lr`) and names
 * lower-cased; `formatUri` escapes them again. "The same parameter name MUST NOT appear more than
 * once" (RFC 3261 §19.1.1): a duplicate is an error.
 *
 * The user part may hold ';', '?' and ',' (user-unreserved), so the userinfo is everything before the
 * first '@': no host, parameter or header character can be an '@'.
 */
import { SipError } from './errors.js';
import type { OtherUri, SipUri, TelUri, Uri } from './types.js';
import {
  ALPHA,
  CLASS,
  DIGIT,
  HEX,
  HNV,
  PARAMCHAR,
  PASSWORD,
  SCHEME,
  URIC,
  USER,
  bytesOf,
  equalsLowerBytes,
  hexValue,
  skipClassBytes,
} from './chars.js';
import { HOST_IPV6, HOST_KINDS, scanHostKind } from './host.js';
import { ParamList } from './param-list.js';
import { EMPTY_PARAMS, lowerName } from './params.js';
import { unescapePercent } from './text.js';

const COLON = 0x3a;
const SEMI = 0x3b;
const PERCENT = 0x25;
const QUESTION = 0x3f;
const EQUAL = 0x3d;
const AMP = 0x26;
const AT = 0x40;

const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/** Parses a whole URI (the entire `text`). Errors are `SIP_BAD_URI` with an offset into `text`. */
export function parseUri(text: string): Uri | SipError {
  return parseUriAt(text, bytesOf(text), 0, text.length);
}

/**
 * Parses the URI that is exactly `text[start, end)` (e.g. between the angle brackets of a header
 * value, inside the whole message), without copying it first; `b` holds the bytes of `text` (see
 * chars.ts). Offsets in errors are indexes into `text`; nothing outside `[start, end)` is read.
 */
export function parseUriAt(text: string, b: Uint8Array, start: number, end: number): Uri | SipError {
  if (start >= end || (CLASS[b[start]!]! & ALPHA) === 0) {
    return bad('expected a URI scheme', start);
  }
  let i = skipClassBytes(b, start + 1, end, SCHEME);
  if (i >= end || b[i] !== COLON) return bad('expected ":" after the URI scheme', i);
  const length = i - start;
  if (length === 3) {
    // Scheme characters are letters, digits, "+", "-" and "."; of those, `c | 0x20` gives a
    // lower-case letter only for that letter in either case: an exact case-insensitive test.
    const c0 = b[start]! | 0x20;
    const c1 = b[start + 1]! | 0x20;
    const c2 = b[start + 2]! | 0x20;
    if (c0 === 0x73 /* s */ && c1 === 0x69 /* i */ && c2 === 0x70 /* p */) return parseSipUri(text, b, 'sip', start, i + 1, end);
    if (c0 === 0x74 /* t */ && c1 === 0x65 /* e */ && c2 === 0x6c /* l */) return parseTelUri(text, b, start, i + 1, end);
  } else if (length === 4 && equalsLowerBytes(b, start, i, 'sips')) {
    return parseSipUri(text, b, 'sips', start, i + 1, end);
  }
  return parseOtherUri(text, b, start, i, end);
}

function rawOf(text: string, start: number, end: number): string {
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function parseSipUri(text: string, b: Uint8Array, scheme: 'sip' | 'sips', uriStart: number, start: number, end: number): SipUri | SipError {
  let user: string | null = null;
  let password: string | null = null;
  let hostStart = start;
  // userinfo is everything before the first '@'. The usual `user@` or `user:password@` is found in
  // the same pass that checks its characters; only when that pass stops elsewhere is the rest
  // searched for an '@' (there may be none: `sip:host;transport=udp`).
  let at = -1;
  let userEnd = scanEscaped(b, start, end, USER);
  let passEnd = -1;
  if (userEnd >= 0 && userEnd < end) {
    const c = b[userEnd]!;
    if (c === AT) {
      at = userEnd;
    } else if (c === COLON) {
      passEnd = scanEscaped(b, userEnd + 1, end, PASSWORD);
      if (passEnd >= 0 && passEnd < end && b[passEnd] === AT) at = passEnd;
    }
  }
  if (at < 0) {
    const from = passEnd >= 0 ? passEnd : userEnd >= 0 ? userEnd : start; // no '@' before it
    for (let k = from; k < end; k++) {
      if (b[k] === AT) {
        at = k;
        break;
      }
    }
    if (at >= 0) {
      // Something other than user (and password) characters comes before the '@': the checks
      // below, bounded by the '@', report what.
      userEnd = scanEscaped(b, start, at, USER);
      passEnd = -1;
      if (userEnd >= 0 && userEnd < at && b[userEnd] === COLON) passEnd = scanEscaped(b, userEnd + 1, at, PASSWORD);
    }
  }
  if (at >= 0) {
    if (userEnd < 0) return bad('malformed %-escape in the user part', ~userEnd);
    if (userEnd === start) return bad('empty user part', start);
    user = text.slice(start, userEnd);
    if (userEnd < at) {
      if (b[userEnd] !== COLON) return bad('bad character in the user part', userEnd);
      if (passEnd < 0) return bad('malformed %-escape in the password', ~passEnd);
      if (passEnd !== at) return bad('bad character in the password', passEnd);
      password = text.slice(userEnd + 1, at);
    }
    hostStart = at + 1;
  }

  const scanned = scanHostKind(text, b, hostStart, end);
  if (scanned < 0) {
    if (hostStart < end && b[hostStart] === 0x5b /* [ */) {
      return bad(indexBefore(b, 0x5d /* ] */, hostStart, end) === -1 ? 'IPv6 reference without "]"' : 'bad IPv6 reference', hostStart);
    }
    return bad(hostStart >= end || b[hostStart] === COLON ? 'missing host' : 'bad host', hostStart);
  }
  const hostEnd = scanned >> 2;
  const kind = scanned & 3;
  const host = kind === HOST_IPV6 ? text.slice(hostStart + 1, hostEnd - 1) : text.slice(hostStart, hostEnd);

  let i = hostEnd;
  let port: number | null = null;
  if (i < end && b[i] === COLON) {
    const digitsStart = i + 1;
    port = 0;
    i = digitsStart;
    let c: number;
    while (i < end && (c = b[i]!) >= 0x30 && c <= 0x39) {
      if (port <= 65535) port = port * 10 + (c - 48);
      i++;
    }
    if (i === digitsStart) return bad('expected a port number after ":"', digitsStart);
    if (port > 65535) return bad('port out of range 0..65535', digitsStart);
  }

  let params = EMPTY_PARAMS;
  if (i < end && b[i] === SEMI) {
    const list = new ParamList();
    const stop = scanUriParams(text, b, i, end, list);
    if (typeof stop !== 'number') return stop;
    params = list;
    i = stop;
  }

  let headers = NO_HEADERS;
  if (i < end && b[i] === QUESTION) {
    const list: Array<readonly [string, string]> = [];
    do {
      const nameStart = i + 1;
      const nameEnd = scanEscaped(b, nameStart, end, HNV);
      if (nameEnd < 0) return bad('malformed %-escape in a URI header', ~nameEnd);
      if (nameEnd === nameStart) return bad('empty URI header name', nameStart);
      if (nameEnd >= end || b[nameEnd] !== EQUAL) {
        return bad('expected "=" in a URI header', nameEnd);
      }
      const valueEnd = scanEscaped(b, nameEnd + 1, end, HNV);
      if (valueEnd < 0) return bad('malformed %-escape in a URI header', ~valueEnd);
      list.push([text.slice(nameStart, nameEnd), text.slice(nameEnd + 1, valueEnd)]);
      i = valueEnd;
    } while (i < end && b[i] === AMP);
    headers = list;
  }
  if (i !== end) return bad('unexpected character in the URI', i);
  return { scheme, user, password, host, hostKind: HOST_KINDS[kind]!, port, params, headers, raw: rawOf(text, uriStart, end) };
}

/**
 * RFC 3966: `tel:` global-number (`+` digits and visual separators) or local-number (hex digits,
 * `*`, `#`, separators), then `;` parameters. The number is kept as written. A local number without
 * `phone-context` is tolerated (RFC 3966 §5.1.5 requires it; phones omit it).
 */
function parseTelUri(text: string, b: Uint8Array, uriStart: number, start: number, end: number): TelUri | SipError {
  let i = start;
  let significant = 0;
  const global = i < end && b[i] === 0x2b; /* + */
  if (global) i++;
  while (i < end) {
    const c = b[i]!;
    if (c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29) {
      i++; // visual-separator = "-" / "." / "(" / ")"
    } else if (global ? (CLASS[c]! & DIGIT) !== 0 : (CLASS[c]! & HEX) !== 0 || c === 0x2a || c === 0x23) {
      significant++; // phonedigit = DIGIT; phonedigit-hex = HEXDIG / "*" / "#"
      i++;
    } else {
      break;
    }
  }
  if (significant === 0) return bad('expected a telephone number', start);
  const number = text.slice(start, i);
  let params = EMPTY_PARAMS;
  if (i < end && b[i] === SEMI) {
    const list = new ParamList();
    const stop = scanUriParams(text, b, i, end, list);
    if (typeof stop !== 'number') return stop;
    params = list;
    i = stop;
  }
  if (i !== end) return bad('unexpected character in the tel URI', i);
  return { scheme: 'tel', number, params, raw: rawOf(text, uriStart, end) };
}

/** RFC 3261 §25.1 absoluteURI = scheme ":" ( hier-part / opaque-part ): at least one uric. */
function parseOtherUri(text: string, b: Uint8Array, start: number, colon: number, end: number): OtherUri | SipError {
  const restEnd = scanEscaped(b, colon + 1, end, URIC);
  if (restEnd < 0) return bad('malformed %-escape in the URI', ~restEnd);
  if (colon + 1 === end) return bad('empty URI after the scheme', end);
  if (restEnd !== end) return bad('unexpected character in the URI', restEnd);
  return { scheme: text.slice(start, colon).toLowerCase(), raw: rawOf(text, start, end) };
}

/**
 * `*( ";" pname [ "=" pvalue ] )` of a sip or tel URI from `i` (at a ';'), names and values
 * %-decoded, added to `out`. Returns where the parameters end, or the error.
 */
function scanUriParams(text: string, b: Uint8Array, i: number, end: number, out: ParamList): number | SipError {
  while (i < end && b[i] === SEMI) {
    const nameStart = i + 1;
    const nameEnd = scanEscaped(b, nameStart, end, PARAMCHAR);
    if (nameEnd < 0) return bad('malformed %-escape in a URI parameter', ~nameEnd);
    if (nameEnd === nameStart) return bad('empty URI parameter name', nameStart);
    const name = hasPercent(b, nameStart, nameEnd)
      ? unescapePercent(text.slice(nameStart, nameEnd)).toLowerCase()
      : lowerName(text, b, nameStart, nameEnd);
    let value: string | null = null;
    i = nameEnd;
    if (i < end && b[i] === EQUAL) {
      const valueEnd = scanEscaped(b, i + 1, end, PARAMCHAR);
      if (valueEnd < 0) return bad('malformed %-escape in a URI parameter', ~valueEnd);
      if (valueEnd === i + 1) return bad(`empty value for URI parameter "${name}"`, i + 1);
      value = unescapePercent(text.slice(i + 1, valueEnd));
      i = valueEnd;
    }
    if (!out.add(name, value)) return bad(`duplicate URI parameter "${name}"`, nameStart);
  }
  return i;
}

/** Index of the first `code` in `text[start, end)`, or -1 (bounded, unlike `indexOf`). */
function indexBefore(b: Uint8Array, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (b[i] === code) return i;
  return -1;
}

/**
 * The index after the run from `i` of characters in `flags` and well-formed `%XX` escapes; or
 * `~offset` of a '%' not followed by two hex digits.
 */
function scanEscaped(b: Uint8Array, i: number, end: number, flags: number): number {
  const cls = CLASS; // a local: see chars.ts
  while (i < end) {
    const c = b[i]!;
    if ((cls[c]! & flags) !== 0) {
      i++;
    } else if (c === PERCENT) {
      if (i + 2 >= end || hexValue(b[i + 1]!) < 0 || hexValue(b[i + 2]!) < 0) {
        return ~i;
      }
      i += 3;
    } else {
      break;
    }
  }
  return i;
}

function hasPercent(b: Uint8Array, i: number, end: number): boolean {
  for (; i < end; i++) if (b[i] === PERCENT) return true;
  return false;
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_URI', message, offset);
}

/**
 * The canonical text of a sip/sips URI: `scheme:[user[:password]@]host[:port]*(;name[=value])[?headers]`
 * with IPv6 hosts in brackets. Characters a part may not hold are %-escaped (user, password and
 * header values keep their existing escapes; parameter names and values, stored decoded, are
 * escaped afresh), so a URI built by hand cannot inject a ';', '>' or line break. The host is
 * written as given: it must be a valid host (from `parseUri`, or from configuration).
 */
export function formatUri(uri: SipUri): string {
  let out = uri.scheme + ':';
  if (uri.user !== null) {
    out += escapeChars(uri.user, USER, true);
    if (uri.password !== null) out += ':' + escapeChars(uri.password, PASSWORD, true);
    out += '@';
  }
  out += uri.hostKind === 'ipv6' ? '[' + uri.host + ']' : uri.host;
  if (uri.port !== null) out += ':' + uri.port;
  for (const [name, value] of uri.params) {
    out += ';' + escapeChars(name, PARAMCHAR, false);
    if (value !== null) out += '=' + escapeChars(value, PARAMCHAR, false);
  }
  for (let h = 0; h < uri.headers.length; h++) {
    const [name, value] = uri.headers[h]!;
    out += (h === 0 ? '?' : '&') + escapeChars(name, HNV, true) + '=' + escapeChars(value, HNV, true);
  }
  return out;
}

const HEX_DIGITS = '0123456789ABCDEF';
const UTF8 = new TextEncoder();

/** `s` with every character outside `flags` written as %XX (UTF-8 bytes for chars above 0xFF). */
function escapeChars(s: string, flags: number, keepEscapes: boolean): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((CLASS[c]! & flags) !== 0) continue;
    if (
      keepEscapes &&
      c === PERCENT &&
      hexValue(s.charCodeAt(i + 1)) >= 0 &&
      hexValue(s.charCodeAt(i + 2)) >= 0
    ) {
      i += 2;
      continue;
    }
    out += s.slice(runStart, i);
    if (c <= 0xff) {
      out += '%' + HEX_DIGITS[c >> 4]! + HEX_DIGITS[c & 15]!;
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      for (const b of UTF8.encode(String.fromCodePoint(cp))) {
        out += '%' + HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
      }
    }
    runStart = i + 1;
  }
  return runStart === 0 ? s : out + s.slice(runStart);
}
