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
import type { OtherUri, Params, SipUri, TelUri, Uri } from './types.js';
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
  equalsLower,
  hexValue,
} from './chars.js';
import { hostKindAt, scanHost } from './host.js';
import { EMPTY_PARAMS, lowerName } from './params.js';
import { unescapePercent } from './text.js';

const COLON = 0x3a;
const SEMI = 0x3b;
const PERCENT = 0x25;
const QUESTION = 0x3f;
const EQUAL = 0x3d;
const AMP = 0x26;

const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/** Parses a whole URI (the entire `text`). Errors are `SIP_BAD_URI` with an offset into `text`. */
export function parseUri(text: string): Uri | SipError {
  const end = text.length;
  if (end === 0 || (CLASS[text.charCodeAt(0)]! & ALPHA) === 0) {
    return bad('expected a URI scheme', 0);
  }
  let i = 1;
  while (i < end && (CLASS[text.charCodeAt(i)]! & SCHEME) !== 0) i++;
  if (i >= end || text.charCodeAt(i) !== COLON) return bad('expected ":" after the URI scheme', i);
  if (i === 3 && equalsLower(text, 0, 3, 'sip')) return parseSipUri(text, 'sip', 4);
  if (i === 4 && equalsLower(text, 0, 4, 'sips')) return parseSipUri(text, 'sips', 5);
  if (i === 3 && equalsLower(text, 0, 3, 'tel')) return parseTelUri(text, 4);
  return parseOtherUri(text, i);
}

function parseSipUri(text: string, scheme: 'sip' | 'sips', start: number): SipUri | SipError {
  const end = text.length;
  let user: string | null = null;
  let password: string | null = null;
  let hostStart = start;
  const at = text.indexOf('@', start);
  if (at !== -1) {
    const userEnd = scanEscaped(text, start, at, USER);
    if (userEnd < 0) return bad('malformed %-escape in the user part', ~userEnd);
    if (userEnd === start) return bad('empty user part', start);
    user = text.slice(start, userEnd);
    if (userEnd < at) {
      if (text.charCodeAt(userEnd) !== COLON) return bad('bad character in the user part', userEnd);
      const passEnd = scanEscaped(text, userEnd + 1, at, PASSWORD);
      if (passEnd < 0) return bad('malformed %-escape in the password', ~passEnd);
      if (passEnd !== at) return bad('bad character in the password', passEnd);
      password = text.slice(userEnd + 1, at);
    }
    hostStart = at + 1;
  }

  const hostEnd = scanHost(text, hostStart, end);
  if (hostEnd < 0) {
    if (text.charCodeAt(hostStart) === 0x5b /* [ */) {
      return bad(text.indexOf(']', hostStart) === -1 ? 'IPv6 reference without "]"' : 'bad IPv6 reference', hostStart);
    }
    return bad(hostStart >= end || text.charCodeAt(hostStart) === COLON ? 'missing host' : 'bad host', hostStart);
  }
  const hostKind = hostKindAt(text, hostStart, hostEnd);
  const host =
    hostKind === 'ipv6' ? text.slice(hostStart + 1, hostEnd - 1) : text.slice(hostStart, hostEnd);

  let i = hostEnd;
  let port: number | null = null;
  if (i < end && text.charCodeAt(i) === COLON) {
    const digitsStart = i + 1;
    port = 0;
    i = digitsStart;
    while (i < end && (CLASS[text.charCodeAt(i)]! & DIGIT) !== 0) {
      if (port <= 65535) port = port * 10 + (text.charCodeAt(i) - 48);
      i++;
    }
    if (i === digitsStart) return bad('expected a port number after ":"', digitsStart);
    if (port > 65535) return bad('port out of range 0..65535', digitsStart);
  }

  let params = EMPTY_PARAMS;
  if (i < end && text.charCodeAt(i) === SEMI) {
    const parsed = scanUriParams(text, i, end);
    if (parsed instanceof SipError) return parsed;
    params = parsed.params;
    i = parsed.end;
  }

  let headers = NO_HEADERS;
  if (i < end && text.charCodeAt(i) === QUESTION) {
    const list: Array<readonly [string, string]> = [];
    do {
      const nameStart = i + 1;
      const nameEnd = scanEscaped(text, nameStart, end, HNV);
      if (nameEnd < 0) return bad('malformed %-escape in a URI header', ~nameEnd);
      if (nameEnd === nameStart) return bad('empty URI header name', nameStart);
      if (nameEnd >= end || text.charCodeAt(nameEnd) !== EQUAL) {
        return bad('expected "=" in a URI header', nameEnd);
      }
      const valueEnd = scanEscaped(text, nameEnd + 1, end, HNV);
      if (valueEnd < 0) return bad('malformed %-escape in a URI header', ~valueEnd);
      list.push([text.slice(nameStart, nameEnd), text.slice(nameEnd + 1, valueEnd)]);
      i = valueEnd;
    } while (i < end && text.charCodeAt(i) === AMP);
    headers = list;
  }
  if (i !== end) return bad('unexpected character in the URI', i);
  return { scheme, user, password, host, hostKind, port, params, headers, raw: text };
}

/**
 * RFC 3966: `tel:` global-number (`+` digits and visual separators) or local-number (hex digits,
 * `*`, `#`, separators), then `;` parameters. The number is kept as written. A local number without
 * `phone-context` is tolerated (RFC 3966 §5.1.5 requires it; phones omit it).
 */
function parseTelUri(text: string, start: number): TelUri | SipError {
  const end = text.length;
  let i = start;
  let significant = 0;
  const global = i < end && text.charCodeAt(i) === 0x2b; /* + */
  if (global) i++;
  while (i < end) {
    const c = text.charCodeAt(i);
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
  const parsed = scanUriParams(text, i, end);
  if (parsed instanceof SipError) return parsed;
  if (parsed.end !== end) return bad('unexpected character in the tel URI', parsed.end);
  return { scheme: 'tel', number, params: parsed.params, raw: text };
}

/** RFC 3261 §25.1 absoluteURI = scheme ":" ( hier-part / opaque-part ): at least one uric. */
function parseOtherUri(text: string, colon: number): OtherUri | SipError {
  const end = text.length;
  const restEnd = scanEscaped(text, colon + 1, end, URIC);
  if (restEnd < 0) return bad('malformed %-escape in the URI', ~restEnd);
  if (colon + 1 === end) return bad('empty URI after the scheme', end);
  if (restEnd !== end) return bad('unexpected character in the URI', restEnd);
  return { scheme: text.slice(0, colon).toLowerCase(), raw: text };
}

/** `*( ";" pname [ "=" pvalue ] )` of a sip or tel URI, names and values %-decoded. */
function scanUriParams(
  text: string,
  i: number,
  end: number,
): { params: Params; end: number } | SipError {
  if (i >= end || text.charCodeAt(i) !== SEMI) return { params: EMPTY_PARAMS, end: i };
  const params = new Map<string, string | null>();
  while (i < end && text.charCodeAt(i) === SEMI) {
    const nameStart = i + 1;
    const nameEnd = scanEscaped(text, nameStart, end, PARAMCHAR);
    if (nameEnd < 0) return bad('malformed %-escape in a URI parameter', ~nameEnd);
    if (nameEnd === nameStart) return bad('empty URI parameter name', nameStart);
    const name = hasPercent(text, nameStart, nameEnd)
      ? unescapePercent(text.slice(nameStart, nameEnd)).toLowerCase()
      : lowerName(text, nameStart, nameEnd);
    let value: string | null = null;
    i = nameEnd;
    if (i < end && text.charCodeAt(i) === EQUAL) {
      const valueEnd = scanEscaped(text, i + 1, end, PARAMCHAR);
      if (valueEnd < 0) return bad('malformed %-escape in a URI parameter', ~valueEnd);
      if (valueEnd === i + 1) return bad(`empty value for URI parameter "${name}"`, i + 1);
      value = unescapePercent(text.slice(i + 1, valueEnd));
      i = valueEnd;
    }
    if (params.has(name)) return bad(`duplicate URI parameter "${name}"`, nameStart);
    params.set(name, value);
  }
  return { params, end: i };
}

/**
 * The index after the run from `i` of characters in `flags` and well-formed `%XX` escapes; or
 * `~offset` of a '%' not followed by two hex digits.
 */
function scanEscaped(text: string, i: number, end: number, flags: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if ((CLASS[c]! & flags) !== 0) {
      i++;
    } else if (c === PERCENT) {
      if (i + 2 >= end || hexValue(text.charCodeAt(i + 1)) < 0 || hexValue(text.charCodeAt(i + 2)) < 0) {
        return ~i;
      }
      i += 3;
    } else {
      break;
    }
  }
  return i;
}

function hasPercent(text: string, i: number, end: number): boolean {
  for (; i < end; i++) if (text.charCodeAt(i) === PERCENT) return true;
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
