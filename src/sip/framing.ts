/**
 * Stream framing: where the next SIP message of a TCP/TLS byte stream ends.
 *
 * RFC 3261 §18.3: "In the case of stream-oriented transports such as TCP, the Content-Length header
 * field indicates the size of the body. All stream-oriented transports MUST use Content-Length."
 * RFC 3261 §20.14: "If a stream-based protocol (such as TCP) is used as transport, the header field
 * MUST be used." A message without one cannot be delimited, so it is `SIP_BAD_CONTENT_LENGTH`.
 *
 * RFC 3261 §7.5: "Implementations processing SIP messages over stream-oriented transports MUST ignore
 * any CRLF appearing before the start-line." RFC 5626 §3.5.1 (CRLF keep-alive): the client sends a
 * double CRLF (the "ping") and the server answers with a single CRLF (the "pong"). Both are reported
 * as `keepalive` frames: `end - start` is 4 for a ping (CRLFCRLF) and 2 for a lone CRLF (a pong, or
 * the first half of a ping whose second half has not arrived yet — the caller pairs them).
 *
 * The header section ends at the first empty line. Line ends are CRLF per RFC 3261 §7.5; a bare LF is
 * tolerated too (RFC 5118's messages are written with LF), so that the framer never disagrees with a
 * parser that accepts them.
 *
 * Bounded: no more than `maxSize` bytes of one message are ever needed before the answer is known —
 * `SIP_TOO_LARGE` as soon as the headers alone, or the headers plus the declared body, exceed it.
 * Linear: two forward scans (memchr for LF, then the header lines), no regular expression. Pass a
 * `FrameProgress` to resume an `incomplete` scan where it stopped, so that a message arriving byte by
 * byte costs O(n) in total, not O(n²).
 *
 * Error offsets are relative to `start` (the message's first byte).
 */
import { SipError } from './errors.js';

export type StreamFrame =
  | { readonly kind: 'message'; readonly end: number }
  | { readonly kind: 'keepalive'; readonly end: number }
  | { readonly kind: 'incomplete' }
  | SipError;

/**
 * Memo of an `incomplete` answer, valid for one `start`. Create one per message with
 * `newFrameProgress()`; a progress whose `start` differs from the call's `start` is ignored and reset.
 */
export interface FrameProgress {
  /** The `start` this progress belongs to, -1 when unused. */
  start: number;
  /** First byte offset whose "is this the empty line?" question is still open. */
  scanned: number;
  /** Message end once the headers are complete and Content-Length is known, else -1. */
  end: number;
}

export function newFrameProgress(): FrameProgress {
  return { start: -1, scanned: 0, end: -1 };
}

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const COLON = 58;
const HYPHEN = 45;
/** Content-Length values saturate here: anything larger is refused as too large anyway. */
const SATURATE = 0x3fffffff;
const INCOMPLETE: StreamFrame = Object.freeze({ kind: 'incomplete' as const });

/** "content-length", lower case, as byte values. */
const CONTENT_LENGTH = [99, 111, 110, 116, 101, 110, 116, 45, 108, 101, 110, 103, 116, 104] as const;

export function frameStream(
  buf: Uint8Array,
  start: number,
  maxSize: number,
  progress?: FrameProgress,
): StreamFrame {
  const len = buf.length;
  if (start >= len) return INCOMPLETE;

  if (buf[start] === CR) {
    const keepalive = frameKeepalive(buf, start);
    if (keepalive !== null) return keepalive;
  }

  let from = start;
  if (progress !== undefined) {
    if (progress.start === start) {
      if (progress.end >= 0) return progress.end <= len ? message(progress.end) : INCOMPLETE;
      from = progress.scanned;
    } else {
      progress.start = start;
      progress.scanned = start;
      progress.end = -1;
    }
  }

  const headerEnd = findHeaderEnd(buf, from, start + maxSize);
  if (headerEnd < 0) {
    // -headerEnd - 1 is the first still-open position.
    if (len - start > maxSize) {
      return new SipError('SIP_TOO_LARGE', `no end of headers within ${maxSize} bytes`, maxSize);
    }
    if (progress !== undefined) progress.scanned = -headerEnd - 1;
    return INCOMPLETE;
  }
  if (headerEnd - start > maxSize) {
    return new SipError('SIP_TOO_LARGE', `headers longer than ${maxSize} bytes`, maxSize);
  }

  const bodyLength = readContentLength(buf, start, headerEnd);
  if (typeof bodyLength !== 'number') return bodyLength;
  const end = headerEnd + bodyLength;
  if (end - start > maxSize) {
    return new SipError(
      'SIP_TOO_LARGE',
      `headers and a Content-Length of ${bodyLength} exceed ${maxSize} bytes`,
      headerEnd - start,
    );
  }
  if (end > len) {
    if (progress !== undefined) progress.end = end;
    return INCOMPLETE;
  }
  return message(end);
}

function message(end: number): StreamFrame {
  return { kind: 'message', end };
}

/** CRLFCRLF → ping (4 bytes), CRLF → lone CRLF (2 bytes); null when the CR starts no keep-alive. */
function frameKeepalive(buf: Uint8Array, start: number): StreamFrame | null {
  const len = buf.length;
  if (start + 1 >= len) return INCOMPLETE;
  if (buf[start + 1] !== LF) return null;
  if (start + 2 >= len || buf[start + 2] !== CR) return { kind: 'keepalive', end: start + 2 };
  if (start + 3 >= len) return INCOMPLETE;
  return { kind: 'keepalive', end: buf[start + 3] === LF ? start + 4 : start + 2 };
}

/**
 * Offset just past the empty line that ends the headers, searching LFs from `from`. When not found,
 * returns `-(open + 1)` where `open` is the first position that needs more bytes to decide. Stops
 * looking once an empty line could no longer end within `limit`.
 */
function findHeaderEnd(buf: Uint8Array, from: number, limit: number): number {
  const len = buf.length;
  let i = from;
  while (i < len) {
    const lf = buf.indexOf(LF, i);
    if (lf < 0) return -(len + 1);
    if (lf >= limit) return -(lf + 1);
    if (lf + 1 >= len) return -(lf + 1);
    const next = buf[lf + 1];
    if (next === LF) return lf + 2;
    if (next === CR) {
      if (lf + 2 >= len) return -(lf + 1);
      if (buf[lf + 2] === LF) return lf + 3;
    }
    i = lf + 1;
  }
  return -(len + 1);
}

/**
 * The Content-Length of the header section `[start, headerEnd)`: the full name or compact `l`
 * (RFC 3261 §7.3.3), case-insensitive, LWS before the colon, value folded over lines allowed.
 * Missing, non-numeric, or repeated with different values → `SIP_BAD_CONTENT_LENGTH`.
 */
function readContentLength(buf: Uint8Array, start: number, headerEnd: number): number | SipError {
  let found = -1;
  // Skip the start line; header lines follow until the empty line.
  let line = buf.indexOf(LF, start) + 1;
  while (line < headerEnd) {
    const first = buf[line];
    if (first === LF || (first === CR && buf[line + 1] === LF)) break;
    const valueStart = first === SP || first === HT ? -1 : contentLengthValueStart(buf, line, headerEnd);
    if (valueStart < 0) {
      line = buf.indexOf(LF, line) + 1;
      continue;
    }
    const parsed = parseFoldedNumber(buf, valueStart, headerEnd);
    if (parsed.value < 0) {
      return new SipError('SIP_BAD_CONTENT_LENGTH', 'Content-Length is not a number', line - start);
    }
    if (found >= 0 && found !== parsed.value) {
      return new SipError('SIP_BAD_CONTENT_LENGTH', 'Content-Length repeated with different values', line - start);
    }
    found = parsed.value;
    line = parsed.next;
  }
  if (found < 0) {
    return new SipError('SIP_BAD_CONTENT_LENGTH', 'Content-Length is required on a stream (RFC 3261 §18.3)', 0);
  }
  return found;
}

/** When the header line at `line` is Content-Length (or `l`), the offset just after its colon; else -1. */
function contentLengthValueStart(buf: Uint8Array, line: number, headerEnd: number): number {
  let p: number;
  const first = buf[line]! | 0x20;
  if (first === 108 /* l */ && !isNameChar(buf[line + 1])) {
    p = line + 1;
  } else {
    if (line + CONTENT_LENGTH.length > headerEnd) return -1;
    for (let k = 0; k < CONTENT_LENGTH.length; k++) {
      const want = CONTENT_LENGTH[k]!;
      const got = buf[line + k]!;
      // Fold case for letters only: CR | 0x20 would otherwise equal '-'.
      if ((want === HYPHEN ? got : got | 0x20) !== want) return -1;
    }
    p = line + CONTENT_LENGTH.length;
  }
  while (p < headerEnd && (buf[p] === SP || buf[p] === HT)) p++;
  return buf[p] === COLON ? p + 1 : -1;
}

/** True for a byte that can continue a header name (anything but LWS, colon and line ends). */
function isNameChar(b: number | undefined): boolean {
  return b !== undefined && b !== SP && b !== HT && b !== COLON && b !== CR && b !== LF;
}

/**
 * Reads `LWS 1*DIGIT LWS` from `p` to the end of the logical header line (continuation lines begin
 * with SP or HT). `value` is -1 when it is not exactly one run of digits; `next` is the next header line.
 */
function parseFoldedNumber(buf: Uint8Array, p: number, headerEnd: number): { value: number; next: number } {
  let value = 0;
  let digits = 0;
  let after = false;
  let bad = false;
  while (p < headerEnd) {
    const b = buf[p]!;
    if (b === LF) {
      const nextByte = buf[p + 1];
      if (nextByte !== SP && nextByte !== HT) {
        p++;
        break;
      }
      if (digits > 0) after = true;
    } else if (b === SP || b === HT || b === CR) {
      if (digits > 0) after = true;
    } else if (b >= 48 && b <= 57 && !after) {
      value = value * 10 + (b - 48);
      if (value > SATURATE) value = SATURATE;
      digits++;
    } else {
      bad = true;
    }
    p++;
  }
  return { value: bad || digits === 0 ? -1 : value, next: p };
}
