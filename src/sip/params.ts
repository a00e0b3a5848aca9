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
import { CLASS, LWS, TOKEN, bytesOf, skipClassBytes, skipLwsBytes } from './chars.js';
import { isIpv6 } from './host.js';
import { ParamList } from './param-list.js';
import { scanQuotedBytes, unquoteBytes } from './quoted-string.js';

const SEMI = 0x3b;
const EQUAL = 0x3d;
const QUOTE = 0x22;
const COLON = 0x3a;

/**
 * The one immutable empty `Params`, shared by every value without parameters, so that the common
 * case (a URI without parameters, a To without tag) allocates nothing.
 */
export const EMPTY_PARAM_LIST: ParamList = ParamList.frozenEmpty();
export const EMPTY_PARAMS: Params = EMPTY_PARAM_LIST;

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
  const b = bytesOf(text);
  const i = skipLwsBytes(b, start, end);
  if (i >= end || b[i] !== SEMI) return { params: EMPTY_PARAMS, end: i };
  const params = new ParamList();
  const stop = scanParams(text, b, i, end, params);
  return typeof stop === 'number' ? { params, end: stop } : stop;
}

/**
 * The loop of `parseParams` on `text[i, end)` (`b` its bytes, see chars.ts), `i` at the first ';':
 * adds each parameter to `out` and returns where the list stops (after any LWS), or the error.
 * Offsets are indexes into `text`.
 */
export function scanParams(text: string, b: Uint8Array, i: number, end: number, out: ParamList): number | SipError {
  while (i < end && b[i] === SEMI) {
    const nameStart = skipLwsBytes(b, i + 1, end);
    const nameEnd = skipClassBytes(b, nameStart, end, TOKEN);
    if (nameEnd === nameStart) {
      return new SipError('SIP_BAD_PARAM', 'expected a parameter name after ";"', nameStart);
    }
    const name = lowerName(text, b, nameStart, nameEnd);
    let value: string | null = null;
    i = nameEnd;
    let c = i < end ? b[i]! : 0;
    if ((CLASS[c]! & LWS) !== 0) {
      i = skipLwsBytes(b, i, end);
      c = i < end ? b[i]! : 0;
    }
    if (c === EQUAL) {
      const valueStart = skipLwsBytes(b, i + 1, end);
      const valueEnd = scanGenValue(text, b, valueStart, end);
      if (valueEnd < 0) {
        return new SipError('SIP_BAD_PARAM', `bad value for parameter "${name}"`, ~valueEnd);
      }
      if (b[valueStart] === QUOTE) {
        value = unquoteBytes(text, b, valueStart, valueEnd);
        out.noteQuotedValue();
      } else {
        value = text.slice(valueStart, valueEnd);
      }
      i = valueEnd;
      if (i < end && (CLASS[b[i]!]! & LWS) !== 0) i = skipLwsBytes(b, i, end);
    }
    if (!out.add(name, value)) {
      return new SipError('SIP_BAD_PARAM', `duplicate parameter "${name}"`, nameStart);
    }
  }
  return i;
}

/**
 * Scans a gen-value at `start`: quoted-string, `[IPv6]`, or a token (a run of token characters,
 * which may contain ':' only when the whole run is a bare IPv6 address). Returns the end index, or
 * `~offset` of the error.
 */
export function scanGenValue(text: string, b: Uint8Array, start: number, end: number): number {
  if (start >= end) return ~start;
  const c = b[start]!;
  if (c === QUOTE) return scanQuotedBytes(b, start, end);
  if (c === 0x5b /* [ */) {
    let close = start + 1;
    while (close < end && b[close] !== 0x5d /* ] */) close++;
    if (close >= end || !isIpv6(text, start + 1, close)) return ~start;
    return close + 1;
  }
  let i = skipClassBytes(b, start, end, TOKEN);
  if (i < end && b[i] === COLON) {
    // Only a bare IPv6 address (Via received, RFC 5118 §4.5) has a ':' here: the whole run of
    // token characters and colons must be one.
    while (i < end && ((CLASS[b[i]!]! & TOKEN) !== 0 || b[i] === COLON)) i++;
    if (!isIpv6(text, start, i)) return ~start;
  }
  if (i === start) return ~start;
  return i;
}

/** The parameters the parsers and the guard look up, by length: their names come out as these constants. */
const KNOWN_NAMES: ReadonlyArray<ReadonlyArray<readonly [string, Uint8Array]>> = (() => {
  const byLength: Array<Array<readonly [string, Uint8Array]>> = [];
  for (const name of ['q', 'lr', 'tag', 'ttl', 'user', 'rport', 'maddr', 'branch', 'expires', 'received', 'transport']) {
    (byLength[name.length] ??= []).push([name, Uint8Array.from(name, (ch) => ch.charCodeAt(0))]);
  }
  return byLength;
})();

/**
 * The lower-cased parameter name `text[start, end)` (`b` its bytes), reusing the common names'
 * constant strings: no copy, and lookups compare them by pointer.
 *
 * The name is made of token or URI parameter characters (the callers scanned it so). The known names
 * are all letters, and among those characters only a letter in either case gives that letter with
 * `c | 0x20`: so that fold compares exactly as a case-insensitive comparison would.
 */
export function lowerName(text: string, b: Uint8Array, start: number, end: number): string {
  const candidates = KNOWN_NAMES[end - start];
  if (candidates !== undefined) {
    for (let k = 0; k < candidates.length; k++) {
      const candidate = candidates[k]!;
      const bytes = candidate[1];
      let i = 0;
      while (i < bytes.length && (b[start + i]! | 0x20) === bytes[i]) i++;
      if (i === bytes.length) return candidate[0];
    }
  }
  return text.slice(start, end).toLowerCase();
}
