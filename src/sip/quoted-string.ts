/**
 * quoted-string scanning and unquoting, RFC 3261 §25.1:
 *
 *   quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 *   qdtext        = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair   = "\" (%x00-09 / %x0B-0C / %x0E-7F)
 *
 * A CR or LF inside the quotes is only allowed as part of a fold (LWS = [*WSP CRLF] 1*WSP; a bare
 * LF is tolerated like a CRLF). Unquoting drops the CR/LF of a fold and keeps the white space after
 * it, so a value never carries a line break.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CR = 0x0d;
const LF = 0x0a;

function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Scans the quoted-string whose opening DQUOTE is at `start`. Returns the index just after the
 * closing DQUOTE; or, when the string is malformed, the bitwise complement `~offset` (a negative
 * number) of the offending byte — `~start` when the closing quote is missing.
 */
export function scanQuotedString(text: string, start: number, end: number = text.length): number {
  let i = start + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (i + 1 >= end) return ~start;
      const n = text.charCodeAt(i + 1);
      if (n === CR || n === LF || n > 0x7f) return ~(i + 1);
      i += 2;
    } else if (c === CR || c === LF) {
      // A fold: CRLF (or a bare LF) followed by white space.
      const afterLf = c === CR ? i + 2 : i + 1;
      if (c === CR && (i + 1 >= end || text.charCodeAt(i + 1) !== LF)) return ~i;
      if (afterLf >= end || !isWsp(text.charCodeAt(afterLf))) return ~i;
      i = afterLf + 1;
    } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      return ~i;
    } else {
      i++;
    }
  }
  return ~start;
}

/**
 * `scanQuotedString` on the bytes of a byte string (see chars.ts), for the hot parsers: the same
 * rules, kept line for line with the string version above.
 */
export function scanQuotedBytes(b: Uint8Array, start: number, end: number): number {
  let i = start + 1;
  while (i < end) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (i + 1 >= end) return ~start;
      const n = b[i + 1]!;
      if (n === CR || n === LF || n > 0x7f) return ~(i + 1);
      i += 2;
    } else if (c === CR || c === LF) {
      const afterLf = c === CR ? i + 2 : i + 1;
      if (c === CR && (i + 1 >= end || b[i + 1] !== LF)) return ~i;
      if (afterLf >= end || !isWsp(b[afterLf]!)) return ~i;
      i = afterLf + 1;
    } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      return ~i;
    } else {
      i++;
    }
  }
  return ~start;
}

/**
 * The content of a quoted-string already validated by `scanQuotedString`: `start` is the opening
 * DQUOTE, `end` the index after the closing one. Quoted-pairs are resolved and fold line breaks
 * dropped; without either, the result is a plain slice.
 */
export function unquote(text: string, start: number, end: number): string {
  const content = text.slice(start + 1, end - 1);
  if (content.indexOf('\\') === -1 && content.indexOf('\r') === -1 && content.indexOf('\n') === -1) {
    return content;
  }
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < content.length) {
    const c = content.charCodeAt(i);
    if (c === BACKSLASH) {
      out += content.slice(runStart, i) + content.charAt(i + 1);
      i += 2;
      runStart = i;
    } else if (c === CR || c === LF) {
      out += content.slice(runStart, i);
      i++;
      runStart = i;
    } else {
      i++;
    }
  }
  return out + content.slice(runStart);
}

/**
 * `unquote` for a quoted-string found by `scanQuotedBytes` in `text` (`b` its bytes): the usual
 * content without quoted-pairs or folds is sliced out directly, without a search in a copy.
 */
export function unquoteBytes(text: string, b: Uint8Array, start: number, end: number): string {
  for (let i = start + 1; i < end - 1; i++) {
    const c = b[i];
    if (c === BACKSLASH || c === CR || c === LF) return unquote(text, start, end);
  }
  return text.slice(start + 1, end - 1);
}

/**
 * Encodes `value` as a quoted-string. `"`, `\` and control characters become quoted-pairs; CR and LF
 * (which no quoted-pair may carry) become a space, so the result can never break a header line.
 */
export function quote(value: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === CR || c === LF) {
      out += value.slice(runStart, i) + ' ';
      runStart = i + 1;
    } else if (c === QUOTE || c === BACKSLASH || (c < 0x20 && c !== 0x09) || c === 0x7f) {
      out += value.slice(runStart, i) + '\\';
      runStart = i;
    }
  }
  return out + value.slice(runStart) + '"';
}
