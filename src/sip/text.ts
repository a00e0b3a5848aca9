/**
 * Turning byte strings into text for people, and undoing %-escapes.
 *
 * The parser keeps every value as a byte string (latin1: one char = one byte). Display names,
 * reason phrases and quoted parameter values may carry UTF-8 (RFC 3261 §25.1 `UTF8-NONASCII`);
 * `utf8Text` decodes them only when a person will read them (dashboard, explanations, CLI).
 */
import { Buffer } from 'node:buffer';
import { hexValue } from './chars.js';

/**
 * Decodes a latin1 byte string as UTF-8. Invalid sequences become U+FFFD, so the result is always
 * well-formed text. Pure ASCII (the common case) is returned as it is, without a copy.
 */
export function utf8Text(byteString: string): string {
  for (let i = 0; i < byteString.length; i++) {
    if (byteString.charCodeAt(i) >= 0x80) {
      return Buffer.from(byteString, 'latin1').toString('utf8');
    }
  }
  return byteString;
}

/**
 * Decodes `%XX` escapes (RFC 3261 §25.1 `escaped = "%" HEXDIG HEXDIG`) into the byte they stand for,
 * in the same byte-string convention: `%E3` becomes the char U+00E3, not a UTF-8 decoding. A `%` that
 * is not followed by two hex digits is left as it is. Decoding is single-pass: `%2541` gives `%41`.
 */
export function unescapePercent(s: string): string {
  let pct = s.indexOf('%');
  if (pct === -1) return s;
  let out = '';
  let from = 0;
  while (pct !== -1) {
    const hi = pct + 2 < s.length ? hexValue(s.charCodeAt(pct + 1)) : -1;
    const lo = hi >= 0 ? hexValue(s.charCodeAt(pct + 2)) : -1;
    if (lo >= 0) {
      out += s.slice(from, pct) + String.fromCharCode(hi * 16 + lo);
      from = pct + 3;
      pct = s.indexOf('%', from);
    } else {
      pct = s.indexOf('%', pct + 1);
    }
  }
  return out + s.slice(from);
}

/** The name the SIP layer contract (CONTRACT.md) uses for `unescapePercent`. */
export const unescapeUri = unescapePercent;
