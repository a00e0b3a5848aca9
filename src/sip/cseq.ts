/**
 * CSeq, RFC 3261 §20.16 and §25.1:
 *
 *   CSeq  =  "CSeq" HCOLON 1*DIGIT LWS Method
 *
 * "The sequence number MUST be expressible as a 32-bit unsigned integer and MUST be less than
 * 2**31." (RFC 3261 §8.1.1.5). Leading zeros are fine (RFC 4475 §3.1.1.1 wsinv: `0009`); a number
 * of 2**31 or more is refused without overflowing (RFC 4475 §3.1.2.4 scalar02, §3.1.2.5 scalarlg).
 * The method is case-sensitive (RFC 3261 §7.1) and kept as written.
 */
import { SipError } from './errors.js';
import type { CSeq } from './types.js';
import { TOKEN, bytesOf, skipClassBytes, skipLwsBytes } from './chars.js';

const LIMIT = 2 ** 31;

/** Parses a CSeq header value. Errors are `SIP_BAD_CSEQ` with offsets into `text`. */
export function parseCSeq(text: string): CSeq | SipError {
  return parseCSeqAt(text, bytesOf(text), 0, text.length);
}

/**
 * Parses the CSeq value that is exactly `text[from, len)` (`b` its bytes, see chars.ts); offsets in
 * errors are indexes into `text`.
 */
export function parseCSeqAt(text: string, b: Uint8Array, from: number, len: number): CSeq | SipError {
  const digitsStart = skipLwsBytes(b, from, len);
  let seq = 0;
  let i = digitsStart;
  let c: number;
  while (i < len && (c = b[i]!) >= 0x30 && c <= 0x39) {
    if (seq < LIMIT) seq = seq * 10 + (c - 48);
    i++;
  }
  if (i === digitsStart) return bad('expected the sequence number', digitsStart);
  if (seq >= LIMIT) return bad('sequence number must be less than 2**31', digitsStart);
  const methodStart = skipLwsBytes(b, i, len);
  if (methodStart === i) return bad('expected white space after the sequence number', i);
  const methodEnd = skipClassBytes(b, methodStart, len, TOKEN);
  if (methodEnd === methodStart) return bad('expected the method', methodStart);
  if (skipLwsBytes(b, methodEnd, len) !== len) return bad('unexpected character after the method', methodEnd);
  return { seq, method: methodAt(text, b, methodStart, methodEnd) };
}

/** The method name `text[start, end)` (non-empty); the common ones as constant strings (no copy). */
export function methodAt(text: string, b: Uint8Array, start: number, end: number): string {
  switch (b[start]) {
    case 0x49 /* I */:
      if (same(b, start, end, 'INVITE')) return 'INVITE';
      if (same(b, start, end, 'INFO')) return 'INFO';
      break;
    case 0x52 /* R */:
      if (same(b, start, end, 'REGISTER')) return 'REGISTER';
      if (same(b, start, end, 'REFER')) return 'REFER';
      break;
    case 0x4f /* O */:
      if (same(b, start, end, 'OPTIONS')) return 'OPTIONS';
      break;
    case 0x41 /* A */:
      if (same(b, start, end, 'ACK')) return 'ACK';
      break;
    case 0x42 /* B */:
      if (same(b, start, end, 'BYE')) return 'BYE';
      break;
    case 0x43 /* C */:
      if (same(b, start, end, 'CANCEL')) return 'CANCEL';
      break;
    case 0x53 /* S */:
      if (same(b, start, end, 'SUBSCRIBE')) return 'SUBSCRIBE';
      break;
    case 0x4e /* N */:
      if (same(b, start, end, 'NOTIFY')) return 'NOTIFY';
      break;
  }
  return text.slice(start, end);
}

/** Whether `b[start, end)` is exactly the ASCII `word` (methods are case-sensitive, RFC 3261 §7.1). */
function same(b: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_CSEQ', message, offset);
}
