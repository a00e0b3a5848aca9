/**
 * CIDR blocks (RFC 4632 for IPv4, RFC 4291 §2.3 for IPv6): `203.0.113.0/28`, `2001:db8::/32`, or a
 * single address (a /32 or /128).
 *
 * Host bits after the prefix are cleared ("203.0.113.5/28" is the block 203.0.113.0/28), and a block
 * inside the IPv4-mapped range `::ffff:0:0/96` becomes the IPv4 block it names, so that one rule
 * matches a phone whether the socket reports it as `10.0.0.7` or `::ffff:10.0.0.7`.
 */
import { formatIp, parseIp, unmapIp, type IpAddress, type IpFamily } from './ip-address.js';

export interface Cidr {
  readonly family: IpFamily;
  /** The network address (host bits cleared), as words like {@link IpAddress}. */
  readonly words: readonly number[];
  /** 0..32 for IPv4, 0..128 for IPv6. */
  readonly prefix: number;
}

/** The mask of word `index` for a prefix length. */
export function prefixMaskWord(prefix: number, index: number): number {
  const bits = prefix - index * 32;
  if (bits >= 32) return 0xffffffff;
  if (bits <= 0) return 0;
  return (0xffffffff << (32 - bits)) >>> 0;
}

export function cidrOf(ip: IpAddress, prefix: number): Cidr {
  let family = ip.family;
  let words = ip.words;
  if (family === 6 && prefix >= 96) {
    const unmapped = unmapIp(ip);
    if (unmapped.family === 4) {
      family = 4;
      words = unmapped.words;
      prefix -= 96;
    }
  }
  return { family, words: words.map((w, i) => (w & prefixMaskWord(prefix, i)) >>> 0), prefix };
}

/** Parses `address` or `address/prefix`; returns the block or a message saying what is wrong. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addressText);
  if (ip === null) return `"${addressText}" is not an IPv4 or IPv6 address`;
  const max = ip.family === 4 ? 32 : 128;
  if (slash < 0) return cidrOf(ip, max);
  const prefixText = text.slice(slash + 1);
  let prefix = 0;
  if (prefixText.length === 0 || prefixText.length > 3) return `"/${prefixText}" is not a prefix length (0..${max})`;
  for (let i = 0; i < prefixText.length; i++) {
    const c = prefixText.charCodeAt(i);
    if (c < 48 || c > 57) return `"/${prefixText}" is not a prefix length (0..${max})`;
    prefix = prefix * 10 + (c - 48);
  }
  if (prefix > max) return `prefix /${prefix} is too long for an IPv${ip.family} address (at most /${max})`;
  return cidrOf(ip, prefix);
}

export function formatCidr(cidr: Cidr): string {
  const address = formatIp({ family: cidr.family, words: cidr.words });
  const max = cidr.family === 4 ? 32 : 128;
  return cidr.prefix === max ? address : `${address}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const u = cidr.family === 4 ? unmapIp(ip) : ip;
  if (u.family !== cidr.family) return false;
  for (let i = 0; i < cidr.words.length; i++) {
    const mask = prefixMaskWord(cidr.prefix, i);
    if (mask === 0) return true;
    if (((u.words[i]! & mask) >>> 0) !== cidr.words[i]) return false;
  }
  return true;
}
