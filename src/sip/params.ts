/**
 * Header parameters, RFC 3261 §25.1:
 *
 *   *( SEMI generic-param )
 *   generic-param = token [ EQUAL gen-value ]
 *   gen-value     = token / host / quoted-string
 *   SEMI = SWS ";" SWS      EQUAL = SWS "=" SWS
 *
 * Names are lower-cased (parameter names are case-insensitive, RFC 3261 §7.3.1); a flag has the
 * value null; a quoted value is unquoted with its quoted-pairs resolved; token and host values are
 * kept as written. A host value may be an IPv6 reference (`[2001:db8::1]`) or, for the Via
 * `received` parameter (RFC 3261 §20.42, RFC 5118 §4.5), a bare IPv6 address.
 *
 * A parameter name may appear only once: two `tag`s or two `branch`es would let two parsers disagree
 * on which one counts, so a duplicate is an error rather than a silent first-or-last choice.
 */
import { SipError } from './errors.js';
import type { Params } from './types.js';
import { CLASS, TOKEN, equalsLower, skipLws } from './chars.js';
import { isIpv6 } from './host.js';
import { scanQuotedString, unquote } from './quoted-string.js';

const SEMI = 0x3b;
const EQUAL = 0x3d;
const QUOTE = 0x22;
const COLON = 0x3a;

/** A parameter map that refuses changes: the shared value for "no parameters". */
class EmptyParams extends Map<string, string | null> {
  override set(): this {
    throw new TypeError('EMPTY_PARAMS is immutable');
  }
  override delete(): boolean {
    throw new TypeError('EMPTY_PARAMS is immutable');
  }
  override clear(): void {
    throw new TypeError('EMPTY_PARAMS is immutable');
  }
}

/**
 * The one immutable empty `Params`, shared by every value without parameters, so that the common
 * case (a URI without parameters, a To without tag) allocates no map.
 */
export const EMPTY_PARAMS: Params = new EmptyParams();

/**
 * Parses `*( SEMI generic-param )` starting at `start` (LWS before the first ';' is allowed).
 *
 * Parsing stops before the first character that cannot continue the list: the end of the text, or
 * whatever follows the last parameter (',' between values, '>' or '?' in a URI context, junk).
 * `end` is the index of that character, after any LWS, so `end === text.length` means the rest of
 * the text was consumed; the caller decides whether what is at `end` is acceptable.
 */
export function parseParams(
  text: string,
  start: number,
): { params: Params; end: number } | SipError {
  const end = text.length;
  let i = skipLws(text, start, end);
  if (i >= end || text.charCodeAt(i) !== SEMI) return { params: EMPTY_PARAMS, end: i };
  const params = new Map<string, string | null>();
  while (i < end && text.charCodeAt(i) === SEMI) {
    const nameStart = skipLws(text, i + 1, end);
    let nameEnd = nameStart;
    while (nameEnd < end && (CLASS[text.charCodeAt(nameEnd)]! & TOKEN) !== 0) nameEnd++;
    if (nameEnd === nameStart) {
      return new SipError('SIP_BAD_PARAM', 'expected a parameter name after ";"', nameStart);
    }
    const name = lowerName(text, nameStart, nameEnd);
    let value: string | null = null;
    i = skipLws(text, nameEnd, end);
    if (i < end && text.charCodeAt(i) === EQUAL) {
      const valueStart = skipLws(text, i + 1, end);
      const valueEnd = scanGenValue(text, valueStart, end);
      if (valueEnd < 0) {
        return new SipError('SIP_BAD_PARAM', `bad value for parameter "${name}"`, ~valueEnd);
      }
      value =
        text.charCodeAt(valueStart) === QUOTE
          ? unquote(text, valueStart, valueEnd)
          : text.slice(valueStart, valueEnd);
      i = skipLws(text, valueEnd, end);
    }
    if (params.has(name)) {
      return new SipError('SIP_BAD_PARAM', `duplicate parameter "${name}"`, nameStart);
    }
    params.set(name, value);
  }
  return { params, end: i };
}

/**
 * Scans a gen-value at `start`: quoted-string, `[IPv6]`, or a token (a run of token characters,
 * which may contain ':' only when the whole run is a bare IPv6 address). Returns the end index, or
 * `~offset` of the error.
 */
export function scanGenValue(text: string, start: number, end: number): number {
  if (start >= end) return ~start;
  const c = text.charCodeAt(start);
  if (c === QUOTE) return scanQuotedString(text, start, end);
  if (c === 0x5b /* [ */) {
    const close = text.indexOf(']', start);
    if (close < 0 || close >= end || !isIpv6(text, start + 1, close)) return ~start;
    return close + 1;
  }
  let i = start;
  let colon = false;
  while (i < end) {
    const k = text.charCodeAt(i);
    if ((CLASS[k]! & TOKEN) !== 0) i++;
    else if (k === COLON) {
      colon = true;
      i++;
    } else break;
  }
  if (i === start) return ~start;
  if (colon && !isIpv6(text, start, i)) return ~start;
  return i;
}

/** The lower-cased parameter name, reusing the common names' constant strings. */
export function lowerName(text: string, start: number, end: number): string {
  switch (end - start) {
    case 1:
      if ((text.charCodeAt(start) | 0x20) === 0x71) return 'q';
      break;
    case 2:
      if (equalsLower(text, start, end, 'lr')) return 'lr';
      break;
    case 3:
      if (equalsLower(text, start, end, 'tag')) return 'tag';
      if (equalsLower(text, start, end, 'ttl')) return 'ttl';
      break;
    case 4:
      if (equalsLower(text, start, end, 'user')) return 'user';
      break;
    case 5:
      if (equalsLower(text, start, end, 'rport')) return 'rport';
      if (equalsLower(text, start, end, 'maddr')) return 'maddr';
      break;
    case 6:
      if (equalsLower(text, start, end, 'branch')) return 'branch';
      break;
    case 7:
      if (equalsLower(text, start, end, 'expires')) return 'expires';
      break;
    case 8:
      if (equalsLower(text, start, end, 'received')) return 'received';
      break;
    case 9:
      if (equalsLower(text, start, end, 'transport')) return 'transport';
      break;
  }
  return text.slice(start, end).toLowerCase();
}
