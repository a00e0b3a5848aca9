/**
 * Character classes of the SIP grammar (RFC 3261 §25.1), as one constant lookup table.
 *
 * Value parsers scan byte strings with `charCodeAt` and test a class with one table read and one
 * bit test: no regular expression, constant work per byte. A character code of 256 or more (never
 * present in a latin1 byte string, only in text built by hand) reads `undefined`, and
 * `undefined & flag` is 0: it belongs to no class.
 *
 * The hot scanners read the message's bytes (`buf[i]`) rather than its latin1 string
 * (`text.charCodeAt(i)`): same codes at the same indexes, and reading a byte array costs about a
 * third of `charCodeAt` in optimized code. They still slice values out of the string. The `*Bytes`
 * helpers below are those byte versions; `bytesOf` gives the bytes of a string handed to a public
 * string API.
 *
 * Hot loops copy `CLASS` and the flags they test into local constants first (`const cls = CLASS`):
 * optimized code reloads a module binding, and more so an imported one, on every use, which costs
 * up to twice as much per byte as reading a local.
 */
import { Buffer } from 'node:buffer';

export const ALPHA = 1 << 0;
export const DIGIT = 1 << 1;
export const HEX = 1 << 2;
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = 1 << 3;
/** unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")" */
export const UNRESERVED = 1 << 4;
/** user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" */
export const USER = 1 << 5;
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = 1 << 6;
/** paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$" */
export const PARAMCHAR = 1 << 7;
/** hname / hvalue chars: hnv-unreserved / unreserved; hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" */
export const HNV = 1 << 8;
/** uric = reserved / unreserved (RFC 2396, with RFC 2732's "[" "]"); reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / "," */
export const URIC = 1 << 9;
/** The LWS characters: SP, HTAB and the CR / LF of a fold. */
export const LWS = 1 << 10;
/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
export const SCHEME = 1 << 11;
/** Characters of a hostname or IPv4address: alphanum / "-" / "." (and "_", see host.ts). */
export const HOSTCHAR = 1 << 12;

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  const add = (chars: string, flag: number): void => {
    for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= flag;
  };
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const upper = lower.toUpperCase();
  const digits = '0123456789';
  const alnum = lower + upper + digits;
  const mark = "-_.!~*'()";
  const unreserved = alnum + mark;
  add(lower + upper, ALPHA);
  add(digits, DIGIT);
  add(digits + 'abcdefABCDEF', HEX);
  add(alnum + "-.!%*_+`'~", TOKEN);
  add(unreserved, UNRESERVED);
  add(unreserved + '&=+$,;?/', USER);
  add(unreserved + '&=+$,', PASSWORD);
  add(unreserved + '[]/:&+$', PARAMCHAR);
  add(unreserved + '[]/?:+$', HNV);
  add(unreserved + ';/?:@&=+$,[]', URIC);
  add(' \t\r\n', LWS);
  add(alnum + '+-.', SCHEME);
  add(alnum + '-._', HOSTCHAR);
  return table;
}

/** The class table: `CLASS[code] & FLAG` is non-zero when the byte is in the class. */
export const CLASS: Readonly<Uint16Array> = buildTable();

/** True when char code `c` is in at least one of the classes in `flags`. */
export function isClass(c: number, flags: number): boolean {
  return (CLASS[c]! & flags) !== 0;
}

/** Value 0..15 of a hex digit, or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** The first index at or after `i` (and before `end`) that is not SP / HTAB / CR / LF. */
export function skipLws(text: string, i: number, end: number): number {
  while (i < end && (CLASS[text.charCodeAt(i)]! & LWS) !== 0) i++;
  return i;
}

/** The first index at or after `i` (and before `end`) whose char is not in `flags`. */
export function skipClass(text: string, i: number, end: number, flags: number): number {
  while (i < end && (CLASS[text.charCodeAt(i)]! & flags) !== 0) i++;
  return i;
}

/** True when `text[start, end)` equals the lower-case ASCII `lower`, ignoring ASCII case. */
export function equalsLower(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = text.charCodeAt(start + i);
    // Letters: fold case by setting bit 0x20; other chars must match exactly.
    const folded = c >= 65 && c <= 90 ? c | 0x20 : c;
    if (folded !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * `text` from `start` (where its leading LWS ends) without trailing LWS; `text` itself, not a copy,
 * when there is nothing to cut.
 */
export function trimLwsFrom(text: string, start: number): string {
  let end = text.length;
  while (end > start && (CLASS[text.charCodeAt(end - 1)]! & LWS) !== 0) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * The bytes of the byte string `text`, for the byte scanners. A char above 0xFF (only in text built
 * by hand) becomes 0xFF, which, like it, is in no class and is no ASCII character.
 */
export function bytesOf(text: string): Buffer {
  const len = text.length;
  const b = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    b[i] = c > 0xff ? 0xff : c;
  }
  return b;
}

/** `skipLws` on bytes. */
export function skipLwsBytes(b: Uint8Array, i: number, end: number): number {
  const cls = CLASS;
  const lws = LWS;
  while (i < end && (cls[b[i]!]! & lws) !== 0) i++;
  return i;
}

/** `skipClass` on bytes. */
export function skipClassBytes(b: Uint8Array, i: number, end: number, flags: number): number {
  const cls = CLASS;
  while (i < end && (cls[b[i]!]! & flags) !== 0) i++;
  return i;
}

/** `equalsLower` on bytes. */
export function equalsLowerBytes(b: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = b[start + i]!;
    const folded = c >= 65 && c <= 90 ? c | 0x20 : c;
    if (folded !== lower.charCodeAt(i)) return false;
  }
  return true;
}
