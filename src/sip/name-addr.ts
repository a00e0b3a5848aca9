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
import { CLASS, LWS, TOKEN, skipClass, skipLws, trimLwsFrom } from './chars.js';
import { EMPTY_PARAMS, parseParams } from './params.js';
import { scanQuotedString, unquote } from './quoted-string.js';
import { parseUri } from './uri.js';

const QUOTE = 0x22;
const LT = 0x3c;
const COLON = 0x3a;
const SEMI = 0x3b;
const SPACE = 0x20;

/** Parses one name-addr or addr-spec with its header parameters (the whole of `text`). */
export function parseNameAddr(text: string): NameAddr | SipError {
  const len = text.length;
  const start = skipLws(text, 0, len);
  if (start === len) return bad('empty address', start);
  const c = text.charCodeAt(start);
  if (c === QUOTE) {
    const q = scanQuotedString(text, start, len);
    if (q < 0) {
      return bad(~q === start ? 'unterminated quoted display name' : 'bad character in the display name', ~q);
    }
    const lt = skipLws(text, q, len);
    if (lt >= len || text.charCodeAt(lt) !== LT) return bad('expected "<" after the display name', lt);
    return angleForm(text, start, lt, unquote(text, start, q));
  }
  if (c === LT) return angleForm(text, start, start, null);

  const firstEnd = skipClass(text, start, len, TOKEN);
  if (firstEnd === start) return bad('expected a display name, "<" or a URI', start);
  if (text.charCodeAt(firstEnd) === COLON) return addrSpecForm(text, start);

  // display-name = *(token LWS), then "<"
  let nameEnd = firstEnd;
  let singleSpaces = true;
  let i = firstEnd;
  while (true) {
    const k = skipLws(text, i, len);
    if (k >= len) return bad('expected "<" after the display name', k);
    if (text.charCodeAt(k) === LT) {
      const name = text.slice(start, nameEnd);
      return angleForm(text, start, k, singleSpaces ? name : collapseLws(name));
    }
    if (k === i) return bad('bad character in the display name', k);
    const t = skipClass(text, k, len, TOKEN);
    if (t === k) return bad('bad character in the display name', k);
    if (k - i !== 1 || text.charCodeAt(i) !== SPACE) singleSpaces = false;
    nameEnd = t;
    i = t;
  }
}

/** `<` addr-spec `>` *(SEMI param), with `lt` the index of '<'. */
function angleForm(text: string, start: number, lt: number, displayName: string | null): NameAddr | SipError {
  const gt = text.indexOf('>', lt + 1);
  if (gt === -1) return bad('missing ">" after the URI', lt);
  const uri = parseUri(text.slice(lt + 1, gt));
  if (uri instanceof SipError) return uri.shifted(lt + 1);
  const params = headerParams(text, gt + 1);
  if (params instanceof SipError) return params;
  return { displayName, uri, params, raw: trimLwsFrom(text, start) };
}

/** addr-spec *(SEMI param): the URI runs to the first ';' or white space. */
function addrSpecForm(text: string, start: number): NameAddr | SipError {
  const len = text.length;
  let u = start;
  while (u < len) {
    const c = text.charCodeAt(u);
    if (c === SEMI || (CLASS[c]! & LWS) !== 0) break;
    if (c === 0x2c /* , */ || c === 0x3f /* ? */) {
      return bad('a URI with "," or "?" must be enclosed in "<" ">" (RFC 3261 §20.10)', u);
    }
    u++;
  }
  const uri = parseUri(text.slice(start, u));
  if (uri instanceof SipError) return uri.shifted(start);
  const params = headerParams(text, u);
  if (params instanceof SipError) return params;
  return { displayName: null, uri, params, raw: trimLwsFrom(text, start) };
}

/** The header parameters from `i` to the end of the text (nothing else may follow them). */
function headerParams(text: string, i: number): Params | SipError {
  const len = text.length;
  const j = skipLws(text, i, len);
  if (j === len) return EMPTY_PARAMS; // the common case: no parameters, no allocation
  const parsed = parseParams(text, j);
  if (parsed instanceof SipError) return parsed;
  if (parsed.end !== len) return bad('unexpected character after the address', parsed.end);
  return parsed.params;
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
