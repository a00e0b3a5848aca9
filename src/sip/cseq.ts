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
import { CLASS, DIGIT, TOKEN, skipClass, skipLws } from './chars.js';

const LIMIT = 2 ** 31;

/** Parses a CSeq header value. Errors are `SIP_BAD_CSEQ` with offsets into `text`. */
export function parseCSeq(text: string): CSeq | SipError {
  const len = text.length;
  const digitsStart = skipLws(text, 0, len);
  let seq = 0;
  let i = digitsStart;
  while (i < len && (CLASS[text.charCodeAt(i)]! & DIGIT) !== 0) {
    if (seq < LIMIT) seq = seq * 10 + (text.charCodeAt(i) - 48);
    i++;
  }
  if (i === digitsStart) return bad('expected the sequence number', digitsStart);
  if (seq >= LIMIT) return bad('sequence number must be less than 2**31', digitsStart);
  const methodStart = skipLws(text, i, len);
  if (methodStart === i) return bad('expected white space after the sequence number', i);
  const methodEnd = skipClass(text, methodStart, len, TOKEN);
  if (methodEnd === methodStart) return bad('expected the method', methodStart);
  if (skipLws(text, methodEnd, len) !== len) return bad('unexpected character after the method', methodEnd);
  return { seq, method: methodOf(text, methodStart, methodEnd) };
}

/** The method name; the common ones as constant strings (no allocation on the hot path). */
function methodOf(text: string, start: number, end: number): string {
  switch (text.charCodeAt(start)) {
    case 0x49 /* I */:
      if (same(text, start, end, 'INVITE')) return 'INVITE';
      if (same(text, start, end, 'INFO')) return 'INFO';
      break;
    case 0x52 /* R */:
      if (same(text, start, end, 'REGISTER')) return 'REGISTER';
      if (same(text, start, end, 'REFER')) return 'REFER';
      break;
    case 0x4f /* O */:
      if (same(text, start, end, 'OPTIONS')) return 'OPTIONS';
      break;
    case 0x41 /* A */:
      if (same(text, start, end, 'ACK')) return 'ACK';
      break;
    case 0x42 /* B */:
      if (same(text, start, end, 'BYE')) return 'BYE';
      break;
    case 0x43 /* C */:
      if (same(text, start, end, 'CANCEL')) return 'CANCEL';
      break;
    case 0x53 /* S */:
      if (same(text, start, end, 'SUBSCRIBE')) return 'SUBSCRIBE';
      break;
    case 0x4e /* N */:
      if (same(text, start, end, 'NOTIFY')) return 'NOTIFY';
      break;
  }
  return text.slice(start, end);
}

function same(text: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && text.startsWith(word, start);
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_CSEQ', message, offset);
}
