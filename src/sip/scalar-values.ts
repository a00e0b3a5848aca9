/**
 * The header values that are one word: Call-ID (RFC 3261 §20.8), Max-Forwards (§20.22) and Expires
 * (§20.19). Each parses `text[start, end)` (`b` its bytes, see chars.ts), a header value where it
 * lies in the message; offsets in errors are indexes into `text`.
 */
import { SipError } from './errors.js';

/** Call-ID = word [ "@" word ] (RFC 3261 §25.1): visible ASCII, no white space. */
export function parseCallIdAt(text: string, b: Uint8Array, start: number, end: number): string | SipError {
  if (start === end) return new SipError('SIP_BAD_CALL_ID', 'empty Call-ID', start);
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c <= 0x20 || c >= 0x7f) return new SipError('SIP_BAD_CALL_ID', 'Call-ID contains white space or a non-ASCII byte', i);
  }
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The number written in `text[start, end)` if it is 1 to 12 digits and <= max, else -1. */
function parseDigitsAt(b: Uint8Array, start: number, end: number, max: number): number {
  if (start === end || end - start > 12) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value <= max ? value : -1;
}

/** Max-Forwards = 1*DIGIT, 0..255 (RFC 3261 §20.22, §8.1.1.6). */
export function parseMaxForwardsAt(_text: string, b: Uint8Array, start: number, end: number): number | SipError {
  const value = parseDigitsAt(b, start, end, 255);
  return value >= 0 ? value : new SipError('SIP_BAD_MAX_FORWARDS', 'Max-Forwards must be a number from 0 to 255', start);
}

/** Expires = delta-seconds (RFC 3261 §20.19, §25.1: up to 2**32-1). */
export function parseExpiresAt(_text: string, b: Uint8Array, start: number, end: number): number | SipError {
  const value = parseDigitsAt(b, start, end, 0xffffffff);
  return value >= 0 ? value : new SipError('SIP_BAD_EXPIRES', 'Expires must be a number of seconds up to 4294967295', start);
}
