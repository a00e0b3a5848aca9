/**
 * Splitting a header field value into its comma-separated values, RFC 3261 §7.3.1:
 *
 *   "Multiple header field rows with the same field-name MAY be present in a message if and only if
 *    the entire field-value for that header field is defined as a comma-separated list
 *    (that is, if follows the grammar defined in Section 7.3)."
 *
 * A comma separates values only outside quoted-strings (where `\` escapes the next character) and
 * outside `<...>` (a URI in angle brackets may contain commas, e.g. in its user part). Each value is
 * trimmed of LWS; `offset` is the index of its first character in `text`.
 *
 * Never fails: an unterminated quote or '<' makes the rest of the text one value (its parser will
 * then report the error). Empty values between commas are kept (`a,,b` gives three values), so the
 * caller can refuse them; a text that is empty or only LWS gives no values at all.
 */
import { CLASS, LWS } from './chars.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LT = 0x3c;
const GT = 0x3e;

export interface HeaderValuePart {
  value: string;
  offset: number;
}

export function splitHeaderValues(text: string): HeaderValuePart[] {
  const out: HeaderValuePart[] = [];
  const len = text.length;
  let start = 0;
  while (true) {
    const comma = topLevelComma(text, start);
    if (comma === len) {
      const last = part(text, start, len);
      if (out.length > 0 || last.value.length > 0) out.push(last);
      return out;
    }
    out.push(part(text, start, comma));
    start = comma + 1;
  }
}

/**
 * The first value of a comma-separated header value, found without splitting the rest (the top
 * Via of a long Via line, the first Route); null when the text is empty or only LWS.
 */
export function firstHeaderValue(text: string): HeaderValuePart | null {
  const first = part(text, 0, topLevelComma(text, 0));
  return first.value.length === 0 && first.offset === text.length ? null : first;
}

/** The index of the first comma at or after `start` outside quotes and <...>, or text.length. */
function topLevelComma(text: string, start: number): number {
  const len = text.length;
  let inQuote = false;
  let inAngle = false;
  for (let i = start; i < len; i++) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inQuote = false;
    } else if (inAngle) {
      if (c === GT) inAngle = false;
    } else if (c === QUOTE) {
      inQuote = true;
    } else if (c === LT) {
      inAngle = true;
    } else if (c === COMMA) {
      return i;
    }
  }
  return len;
}

/**
 * `topLevelComma` on the bytes of a larger byte string (a header line inside the message, see
 * chars.ts): the first comma in `b[start, len)` outside quotes and <...>, or `len`. The same split
 * as `splitHeaderValues`, kept line for line with the string version above.
 */
export function topLevelCommaBytes(b: Uint8Array, start: number, len: number): number {
  let inQuote = false;
  let inAngle = false;
  for (let i = start; i < len; i++) {
    const c = b[i];
    if (inQuote) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inQuote = false;
    } else if (inAngle) {
      if (c === GT) inAngle = false;
    } else if (c === QUOTE) {
      inQuote = true;
    } else if (c === LT) {
      inAngle = true;
    } else if (c === COMMA) {
      return i;
    }
  }
  return len;
}

function part(text: string, start: number, end: number): HeaderValuePart {
  let s = start;
  let e = end;
  while (s < e && (CLASS[text.charCodeAt(s)]! & LWS) !== 0) s++;
  while (e > s && (CLASS[text.charCodeAt(e - 1)]! & LWS) !== 0) e--;
  return { value: s === 0 && e === text.length ? text : text.slice(s, e), offset: s };
}
