/**
 * IP address literals: parse, unmap and format, without regular expressions.
 *
 * An address is kept as 32-bit words (one word for IPv4, four for IPv6, most significant first), so
 * that prefix matching is a few integer operations. Text forms follow RFC 4291 §2.2 (IPv6, with `::`
 * and an embedded dotted IPv4 tail) and the usual dotted quad (IPv4, no leading zeros, so that
 * "010.0.0.1" is never read as octal by one tool and decimal by another). Output follows RFC 5952
 * (lower case, longest run of two or more zero groups as `::`).
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** Unsigned 32-bit words, most significant first: length 1 for IPv4, 4 for IPv6. */
  readonly words: readonly number[];
}

/** The dotted quad in `text[start, end)` as an unsigned 32-bit number, or -1. */
export function parseIPv4Word(text: string, start = 0, end = text.length): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // leading zero
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + part;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** RFC 4291 §2.2 text in `text[start, end)` as eight 16-bit groups, or null. */
function parseIPv6Groups(text: string, start: number, end: number): number[] | null {
  const head: number[] = [];
  const tail: number[] = [];
  let target = head;
  let compressed = false;
  let i = start;
  if (end - start < 2) return null;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return null;
    compressed = true;
    target = tail;
    i += 2;
    if (i === end) return [0, 0, 0, 0, 0, 0, 0, 0];
  }
  for (;;) {
    // One group: up to four hex digits, or a dotted IPv4 tail that ends the address.
    let group = 0;
    let digits = 0;
    const groupStart = i;
    while (i < end) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      group = group * 16 + h;
      digits++;
      i++;
      if (digits > 4) return null;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      const v4 = parseIPv4Word(text, groupStart, end);
      if (v4 < 0) return null;
      target.push(v4 >>> 16, v4 & 0xffff);
      break;
    }
    if (digits === 0) return null;
    target.push(group);
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return null;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (compressed) return null; // a second `::`
      compressed = true;
      target = tail;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return null; // a trailing single colon
    }
  }
  const total = head.length + tail.length;
  if (compressed ? total > 7 : total !== 8) return null;
  const zeros = new Array<number>(8 - total).fill(0);
  return [...head, ...zeros, ...tail];
}

/**
 * Parses an IPv4 or IPv6 literal (no brackets). A zone (`fe80::1%eth0`) is accepted only when
 * `allowZone` is set, and then ignored.
 */
export function parseIp(text: string, allowZone = false): IpAddress | null {
  let end = text.length;
  if (end === 0 || end > 64) return null;
  let colon = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) colon = true;
    else if (c === 37) {
      if (!allowZone || !colon || i === end - 1) return null;
      end = i;
      break;
    }
  }
  if (!colon) {
    const word = parseIPv4Word(text, 0, end);
    return word < 0 ? null : { family: 4, words: [word] };
  }
  const groups = parseIPv6Groups(text, 0, end);
  if (groups === null) return null;
  const words: number[] = [];
  for (let g = 0; g < 8; g += 2) words.push((groups[g]! * 65536 + groups[g + 1]!) >>> 0);
  return { family: 6, words };
}

/** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) as its IPv4 address; others unchanged. */
export function unmapIp(ip: IpAddress): IpAddress {
  const w = ip.words;
  if (ip.family === 6 && w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return { family: 4, words: [w[3]!] };
  return ip;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    const w = ip.words[0]!;
    return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
  }
  const groups: number[] = [];
  for (const w of ip.words) groups.push(w >>> 16, w & 0xffff);
  return formatIpv6Groups(groups);
}

/**
 * Eight 16-bit groups as RFC 5952 text: lower case, no leading zeros, the longest run of two or more
 * zero groups (the first, on a tie) as `::` (§4.2), and an IPv4-mapped address with its IPv4 part
 * dotted (§5, `::ffff:192.0.2.1`). The one IPv6 formatter of the project (config, capture reader).
 */
export function formatIpv6Groups(groups: readonly number[]): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${groups[6]! >>> 8}.${groups[6]! & 255}.${groups[7]! >>> 8}.${groups[7]! & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** The canonical text of an address literal, or null when `text` is not one. */
export function canonicalIp(text: string): string | null {
  let canonical = CANONICAL.get(text);
  if (canonical === undefined) {
    const ip = parseIp(text);
    canonical = ip === null ? null : formatIp(ip);
    if (CANONICAL.size >= CANONICAL_MAX) CANONICAL.clear(); // bounded whatever hosts a flood names
    CANONICAL.set(text, canonical);
  }
  return canonical;
}

/** Memo of {@link canonicalIp} (a pure function asked about the same few hosts on every request of a flood). */
const CANONICAL = new Map<string, string | null>();
const CANONICAL_MAX = 4096;

export function isLoopbackIp(ip: IpAddress): boolean {
  const u = unmapIp(ip);
  if (u.family === 4) return u.words[0]! >>> 24 === 127;
  return u.words[0] === 0 && u.words[1] === 0 && u.words[2] === 0 && u.words[3] === 1;
}

export function isUnspecifiedIp(ip: IpAddress): boolean {
  return ip.words.every((w) => w === 0);
}
