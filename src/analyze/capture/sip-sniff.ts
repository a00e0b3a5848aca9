/**
 * The cheap test that decides whether a payload is worth handing to the SIP parser: it starts with
 * a request line's method token, a space and a URI scheme letter (RFC 3261 §7.1: `Method SP
 * Request-URI SP SIP-Version CRLF`), and that first line ends with "SIP/2.0"; or it starts with a
 * status line's `SIP/2.0 ` (§7.2). RTP (first byte 0x80), DNS and other UDP traffic are rejected
 * after one or two byte compares; only a payload that starts like a request line has its first line
 * (at most `MAX_LINE` bytes) scanned.
 */
/** Longest method token accepted (SUBSCRIBE is 9; extension methods a little longer). */
const MAX_METHOD = 16;
const SIP_2_0_SP = [83, 73, 80, 47, 50, 46, 48, 32] as const; // "SIP/2.0 "

/** A request line longer than this is not taken for SIP. */
export const MAX_LINE = 2048;
const SIP_2_0 = [83, 73, 80, 47, 50, 46, 48] as const; // "SIP/2.0"

/**
 * 1 when `buf[start, end)` starts like a SIP message, 0 when it cannot be one, and -1 when it could
 * be but its first line is not all there (a TCP stream that may continue). `knownMethodOnly` is
 * for bytes that may start mid-line (a TCP stream picked up mid-way): "E sip:a SIP/2.0" is a
 * well-formed request line of method "E", but far more likely the tail of "INVITE sip:a SIP/2.0".
 */
export function sniffSip(buf: Uint8Array, start: number, end: number, knownMethodOnly = false): number {
  if (start >= end) return -1;
  const first = buf[start]!;
  if (first < 65 || first > 90) return 0; // not A-Z
  if (first === 83 /* S */ && end - start >= 2 && buf[start + 1] === 73 /* I */) {
    let k = 2;
    while (k < SIP_2_0_SP.length && start + k < end && buf[start + k] === SIP_2_0_SP[k]) k++;
    if (k === SIP_2_0_SP.length) return 1;
    if (start + k >= end) return -1;
    // else fall through: a method such as "SIPX" is still a token.
  }
  const limit = Math.min(end, start + MAX_METHOD + 1);
  let i = start + 1;
  while (i < limit) {
    const b = buf[i]!;
    if (b === 32) break;
    if (!((b >= 65 && b <= 90) || b === 45 || b === 95 || b === 46)) return 0; // A-Z - _ .
    i++;
  }
  if (i >= end) return -1;
  if (i >= limit) return 0;
  // The Request-URI must follow: a scheme starts with a letter.
  if (i + 1 >= end) return -1;
  const u = buf[i + 1]! | 0x20;
  if (u < 97 || u > 122) return 0;
  if (knownMethodOnly && !isKnownMethod(buf, start, i)) return 0;
  return endsWithVersion(buf, i + 2, end, start + MAX_LINE);
}

/** 1 when the line from `from` ends (LF, optional CR) with "SIP/2.0"; -1 when its end is not there yet. */
function endsWithVersion(buf: Uint8Array, from: number, end: number, limit: number): number {
  const stop = Math.min(end, limit);
  let lf = from;
  while (lf < stop && buf[lf] !== 10) lf++;
  if (lf >= stop) return lf >= limit ? 0 : -1;
  let e = lf;
  if (e > from && buf[e - 1] === 13) e--;
  if (e - SIP_2_0.length < from) return 0;
  for (let k = 0; k < SIP_2_0.length; k++) if (buf[e - SIP_2_0.length + k] !== SIP_2_0[k]) return 0;
  return buf[e - SIP_2_0.length - 1] === 32 ? 1 : 0;
}

/** True when a whole datagram looks like SIP. */
export function looksLikeSip(buf: Uint8Array, start: number, end: number): boolean {
  return sniffSip(buf, start, end) === 1;
}

/** The methods of RFC 3261 and its extensions (RFC 3262, 3265, 3311, 3428, 3515, 3903, 6086). */
const KNOWN_METHODS = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
].map((m) => Buffer.from(m, 'latin1'));

function isKnownMethod(buf: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  for (const m of KNOWN_METHODS) {
    if (m.length !== n) continue;
    let k = 0;
    while (k < n && buf[start + k] === m[k]) k++;
    if (k === n) return true;
  }
  return false;
}
