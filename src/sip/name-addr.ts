/**
 * From, To, Contact, Route, Record-Route, Reply-To values, RFC 3261 §20.10 and §25.1:
 *
 *   ( name-addr / addr-spec ) *( SEMI param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *   LAQUOT = SWS "<"      RAQUOT = ">" SWS
 *
 * "When the header field value contains a display name, the URI including all URI parameters is
 * enclosed in "<" and ">". If no "<" and ">" are present, all parameters after the URI are header
 * parameters, not URI parameters." and "Even if the "display-name" is empty, the "name-addr" form
 * MUST be used if the "addr-spec" contains a comma, semicolon, or question mark." (RFC 3261 §20.10)
 * So in addr-spec form the URI ends at the first ';' or white space, and a ',' or '?' in it is an
 * error (RFC 4475 §3.1.2.13 regbadct).
 *
 * Tolerated as RFC 4475 asks: no white space between a display name and '<' (§3.1.1.6 lwsdisp).
 * Refused: an unterminated quote (§3.1.2.6 quotbal), white space inside the angle brackets
 * (§3.1.2.14 badaspec), an unquoted display name with a ',' (§3.1.2.15 baddn).
 *
 * Errors: structure `SIP_BAD_NAME_ADDR`; the URI's own `SIP_BAD_URI` and the parameters'
 * `SIP_BAD_PARAM` pass through. Offsets are into `text`.
 */
import { SipError } from './errors.js';
import type { NameAddr, Params } from './types.js';
import { CLASS, LWS, TOKEN, bytesOf, skipClass, skipClassBytes, skipLws, skipLwsBytes } from './chars.js';
import { ParamList } from './param-list.js';
import { EMPTY_PARAMS, scanParams } from './params.js';
import { scanQuotedBytes, unquoteBytes } from './quoted-string.js';
import { parseUriAt } from './uri.js';

const QUOTE = 0x22;
const LT = 0x3c;
const GT = 0x3e;
const COLON = 0x3a;
const SEMI = 0x3b;
const SPACE = 0x20;

/** Parses one name-addr or addr-spec with its header parameters (the whole of `text`). */
export function parseNameAddr(text: string): NameAddr | SipError {
  return parseNameAddrAt(text, bytesOf(text), 0, text.length);
}

/**
 * Parses the name-addr or addr-spec that is exactly `text[from, len)` (a header value inside the
 * whole message), without copying it first; `b` holds the bytes of `text` (see chars.ts). Offsets in
 * errors are indexes into `text`; nothing outside `[from, len)` is read.
 */
export function parseNameAddrAt(text: string, b: Uint8Array, from: number, len: number): NameAddr | SipError {
  const start = skipLwsBytes(b, from, len);
  if (start === len) return bad('empty address', start);
  const c = b[start]!;
  if (c === LT) return angleForm(text, b, start, start, len, null);
  if (c === QUOTE) {
    const q = scanQuotedBytes(b, start, len);
    if (q < 0) {
      return bad(~q === start ? 'unterminated quoted display name' : 'bad character in the display name', ~q);
    }
    const lt = skipLwsBytes(b, q, len);
    if (lt >= len || b[lt]! !== LT) return bad('expected "<" after the display name', lt);
    return angleForm(text, b, start, lt, len, unquoteBytes(text, b, start, q));
  }

  const firstEnd = skipClassBytes(b, start, len, TOKEN);
  if (firstEnd === start) return bad('expected a display name, "<" or a URI', start);
  if (firstEnd < len && b[firstEnd]! === COLON) return addrSpecForm(text, b, start, len);

  // display-name = *(token LWS), then "<"
  let nameEnd = firstEnd;
  let singleSpaces = true;
  let i = firstEnd;
  while (true) {
    const k = skipLwsBytes(b, i, len);
    if (k >= len) return bad('expected "<" after the display name', k);
    if (b[k]! === LT) {
      const name = text.slice(start, nameEnd);
      return angleForm(text, b, start, k, len, singleSpaces ? name : collapseLws(name));
    }
    if (k === i) return bad('bad character in the display name', k);
    const t = skipClassBytes(b, k, len, TOKEN);
    if (t === k) return bad('bad character in the display name', k);
    if (k - i !== 1 || b[i]! !== SPACE) singleSpaces = false;
    nameEnd = t;
    i = t;
  }
}

/** `<` addr-spec `>` *(SEMI param), with `lt` the index of '<'. */
function angleForm(text: string, b: Uint8Array, start: number, lt: number, len: number, displayName: string | null): NameAddr | SipError {
  let gt = lt + 1;
  while (gt < len && b[gt]! !== GT) gt++;
  if (gt === len) return bad('missing ">" after the URI', lt);
  const uri = parseUriAt(text, b, lt + 1, gt);
  if (uri instanceof SipError) return uri;
  const params = headerParams(text, b, gt + 1, len);
  if (params instanceof SipError) return params;
  return { displayName, uri, params, raw: trimmed(text, b, start, len) };
}

/** addr-spec *(SEMI param): the URI runs to the first ';' or white space. */
function addrSpecForm(text: string, b: Uint8Array, start: number, len: number): NameAddr | SipError {
  let u = start;
  while (u < len) {
    const c = b[u]!;
    if (c === SEMI || (CLASS[c]! & LWS) !== 0) break;
    if (c === 0x2c /* , */ || c === 0x3f /* ? */) {
      return bad('a URI with "," or "?" must be enclosed in "<" ">" (RFC 3261 §20.10)', u);
    }
    u++;
  }
  const uri = parseUriAt(text, b, start, u);
  if (uri instanceof SipError) return uri;
  const params = headerParams(text, b, u, len);
  if (params instanceof SipError) return params;
  return { displayName: null, uri, params, raw: trimmed(text, b, start, len) };
}

/** The header parameters from `i` to `len` (nothing else may follow them). */
function headerParams(text: string, b: Uint8Array, i: number, len: number): Params | SipError {
  const j = i < len && (CLASS[b[i]!]! & LWS) !== 0 ? skipLwsBytes(b, i, len) : i;
  if (j === len) return EMPTY_PARAMS; // the common case: no parameters, no allocation
  if (b[j]! !== SEMI) return bad('unexpected character after the address', j);
  const params = new ParamList();
  const stop = scanParams(text, b, j, len, params);
  if (typeof stop !== 'number') return stop;
  if (stop !== len) return bad('unexpected character after the address', stop);
  return params;
}

/** `text[start, end)` without trailing LWS; `text` itself when that is all of it. */
function trimmed(text: string, b: Uint8Array, start: number, end: number): string {
  while (end > start && (CLASS[b[end - 1]!]! & LWS) !== 0) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Every run of LWS (a fold, tabs, several spaces) in a token display name becomes one space. */
function collapseLws(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const next = skipLws(name, i, name.length);
    if (next > i) {
      out += ' ';
      i = next;
    } else {
      const t = Math.max(skipClass(name, i, name.length, TOKEN), i + 1);
      out += name.slice(i, t);
      i = t;
    }
  }
  return out;
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_NAME_ADDR', message, offset);
}
