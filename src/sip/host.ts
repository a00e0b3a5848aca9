/**
 * Host validation, RFC 3261 §25.1 with RFC 5118 (IPv6) and RFC 5954 (IPv4 octets) corrections:
 *
 *   host          = hostname / IPv4address / IPv6reference
 *   hostname      = *( domainlabel "." ) toplabel [ "." ]
 *   domainlabel   = alphanum / alphanum *( alphanum / "-" ) alphanum
 *   toplabel      = ALPHA / ALPHA *( alphanum / "-" ) alphanum
 *   IPv4address   = dec-octet "." dec-octet "." dec-octet "." dec-octet   (RFC 5954: 0..255)
 *   IPv6reference = "[" IPv6address "]"
 *   IPv6address   = hexpart [ ":" IPv4address ]
 *   hexpart       = hexseq / hexseq "::" [ hexseq ] / "::" [ hexseq ]
 *   hexseq        = hex4 *( ":" hex4 );  hex4 = 1*4HEXDIG
 *
 * One liberty: "_" is accepted in labels like an alphanumeric, because DNS names such as
 * `_sip._udp.example.com` carry it. RFC 5118 §4.10: the RFC 3261 ABNF lets `hexpart ":" IPv4address`
 * produce three colons (`2001:db8:::192.0.2.1`); such a reference is accepted, as RFC 5118 asks of
 * receivers, while a correct address still has at most eight 16-bit pieces.
 */
import type { HostKind } from './types.js';
import { CLASS, DIGIT, HEX, HOSTCHAR, bytesOf } from './chars.js';

const DOT = 0x2e;
const COLON = 0x3a;
const HYPHEN = 0x2d;

/** True when `s[start, end)` is a dotted-quad IPv4 address, each octet 1..3 digits and <= 255. */
export function isIpv4(s: string, start: number, end: number): boolean {
  let octets = 0;
  let i = start;
  while (true) {
    let value = 0;
    const first = i;
    while (i < end && i - first < 3 && (CLASS[s.charCodeAt(i)]! & DIGIT) !== 0) {
      value = value * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    if (i === first || value > 255) return false;
    octets++;
    if (octets === 4) return i === end;
    if (i >= end || s.charCodeAt(i) !== DOT) return false;
    i++;
  }
}

/** True when `s[start, end)` (no brackets) is an IPv6address, see the file comment. */
export function isIpv6(s: string, start: number, end: number): boolean {
  let pieces = 0;
  let compressed = false;
  let i = start;
  if (end - start >= 2 && s.charCodeAt(i) === COLON && s.charCodeAt(i + 1) === COLON) {
    compressed = true;
    i += 2;
    if (i === end) return true;
    if (s.charCodeAt(i) === COLON) return isIpv4(s, i + 1, end); // ":::a.b.c.d", RFC 5118 §4.10
  }
  while (true) {
    const first = i;
    while (i < end && i - first < 5 && (CLASS[s.charCodeAt(i)]! & HEX) !== 0) i++;
    if (i < end && s.charCodeAt(i) === DOT) {
      // An embedded IPv4address ends the address and counts as two pieces.
      if (!isIpv4(s, first, end)) return false;
      pieces += 2;
      break;
    }
    if (i === first || i - first > 4) return false;
    pieces++;
    if (i === end) break;
    if (s.charCodeAt(i) !== COLON) return false;
    i++;
    if (i === end) return false; // a single trailing colon
    if (s.charCodeAt(i) === COLON) {
      if (compressed) return false; // a second "::"
      compressed = true;
      i++;
      if (i === end) break;
      if (s.charCodeAt(i) === COLON) {
        // hexseq "::" ":" IPv4address: the three-colon form of RFC 5118 §4.10.
        if (!isIpv4(s, i + 1, end)) return false;
        pieces += 2;
        break;
      }
    }
  }
  return compressed ? pieces <= 7 : pieces === 8;
}

/** Host kinds as numbers, for `scanHostKind` (`HOST_KINDS[n]` is the `HostKind`). */
export const HOST_DOMAIN = 0;
export const HOST_IPV4 = 1;
export const HOST_IPV6 = 2;
export const HOST_KINDS: readonly HostKind[] = ['domain', 'ipv4', 'ipv6'];

/**
 * Scans the host that starts at `start`, validating it in the same pass: an IPv6 reference
 * (`[` IPv6address `]`), or the longest run of hostname characters, which must form an IPv4address
 * or a hostname per the ABNF above ("_" allowed; labels neither start nor end with "-"; the top label
 * starts with a letter, so that `1.2.3.999` is not mistaken for a name; one final dot allowed).
 * Returns the index after the host, or -1 when there is no valid host at `start`.
 */
export function scanHost(s: string, start: number, end: number): number {
  const r = scanHostKind(s, bytesOf(s), start, end);
  return r < 0 ? -1 : r >> 2;
}

/**
 * `scanHost` on the bytes `b` of the byte string `s` (see chars.ts), telling the kind it found
 * without a second pass over the host: returns `hostEnd << 2 | kind` (kind `HOST_DOMAIN`,
 * `HOST_IPV4` or `HOST_IPV6`), or -1. Strings are shorter than 2**29 characters, so the shift
 * cannot overflow.
 */
export function scanHostKind(s: string, b: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  if (b[start] === 0x5b /* [ */) {
    let close = start + 1;
    while (close < end && b[close] !== 0x5d /* ] */) close++;
    return close < end && isIpv6(s, start + 1, close) ? ((close + 1) << 2) | HOST_IPV6 : -1;
  }
  const cls = CLASS; // locals: see chars.ts
  const hostchar = HOSTCHAR;
  const digit = DIGIT;
  let labelStart = start;
  let topStart = start; // start of the last non-empty label
  let labels = 0;
  let numeric = true; // every label so far is 1..3 digits worth 0..255
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === DOT) {
      if (i === labelStart || b[i - 1] === HYPHEN) return -1;
      labels++;
      topStart = labelStart;
      labelStart = i + 1;
      value = 0;
      continue;
    }
    const k = cls[c]!;
    if ((k & hostchar) === 0) break;
    if (c === HYPHEN && i === labelStart) return -1;
    if (numeric) {
      value = value * 10 + (c - 48);
      numeric = (k & digit) !== 0 && i - labelStart < 3 && value <= 255;
    }
  }
  if (i === start) return -1;
  if (i > labelStart) {
    // The text ends inside a label (no final dot): that label is the top label.
    if (b[i - 1] === HYPHEN) return -1;
    labels++;
    topStart = labelStart;
  } else if (numeric) {
    return -1; // "1.2.3.4." is neither an address nor a name
  }
  if (numeric) return labels === 4 ? (i << 2) | HOST_IPV4 : -1;
  return (CLASS[b[topStart]!]! & DIGIT) === 0 ? (i << 2) | HOST_DOMAIN : -1;
}

/** The kind of the valid host `s[start, hostEnd)` found by `scanHost`. */
export function hostKindAt(s: string, start: number, hostEnd: number): HostKind {
  if (s.charCodeAt(start) === 0x5b) return 'ipv6';
  return (CLASS[s.charCodeAt(hostEnd - 1)]! & DIGIT) !== 0 && isIpv4(s, start, hostEnd) ? 'ipv4' : 'domain';
}

/**
 * Classifies the host written in exactly `s[start, end)`: an IPv6 reference with its brackets, an
 * IPv4 address or a hostname. Returns null when it is none of them.
 */
export function classifyHost(s: string, start: number, end: number): HostKind | null {
  return scanHost(s, start, end) === end ? hostKindAt(s, start, end) : null;
}
