/**
 * An immutable set of addresses and CIDR blocks, compiled once for fast `has()` checks on the hot path
 * (is this packet from the provider? is this phone on the LAN?).
 *
 * IPv4 blocks are kept as (network, mask) pairs in one typed array; an IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`) matches the IPv4 blocks, as a dual-stack socket reports IPv4 peers that way.
 */
import { cidrContains, formatCidr, parseCidr, prefixMaskWord, type Cidr } from './cidr.js';
import { parseIp, unmapIp, type IpAddress } from './ip-address.js';

export interface AddressSetParseError {
  /** Index of the offending entry in the input list. */
  readonly index: number;
  readonly message: string;
}

export type AddressSetParseResult =
  | { readonly ok: true; readonly set: AddressSet }
  | { readonly ok: false; readonly errors: readonly AddressSetParseError[] };

export class AddressSet {
  static readonly empty = new AddressSet([]);

  /** Parses a list of addresses and CIDR blocks; reports every bad entry. */
  static parse(entries: readonly string[]): AddressSetParseResult {
    const cidrs: Cidr[] = [];
    const errors: AddressSetParseError[] = [];
    entries.forEach((text, index) => {
      const cidr = parseCidr(text.trim());
      if (typeof cidr === 'string') errors.push({ index, message: cidr });
      else cidrs.push(cidr);
    });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, set: new AddressSet(cidrs) };
  }

  readonly cidrs: readonly Cidr[];
  /** IPv4 blocks as [network0, mask0, network1, mask1, ...]. */
  private readonly v4: Uint32Array;
  private readonly v6: readonly Cidr[];

  constructor(cidrs: Iterable<Cidr>) {
    const unique = new Map<string, Cidr>();
    for (const cidr of cidrs) unique.set(formatCidr(cidr), cidr);
    this.cidrs = [...unique.values()];
    const v4 = this.cidrs.filter((c) => c.family === 4);
    this.v4 = new Uint32Array(v4.length * 2);
    v4.forEach((c, i) => {
      this.v4[2 * i] = c.words[0]!;
      this.v4[2 * i + 1] = prefixMaskWord(c.prefix, 0);
    });
    this.v6 = this.cidrs.filter((c) => c.family === 6);
  }

  get size(): number {
    return this.cidrs.length;
  }

  /** True when `address` (an IPv4 or IPv6 literal, zone ignored) lies in one of the blocks. */
  has(address: string): boolean {
    const ip = parseIp(address, true);
    return ip !== null && this.hasIp(ip);
  }

  hasIp(ip: IpAddress): boolean {
    const u = unmapIp(ip);
    if (u.family === 4) {
      const word = u.words[0]!;
      const v4 = this.v4;
      for (let i = 0; i < v4.length; i += 2) {
        if (((word & v4[i + 1]!) >>> 0) === v4[i]) return true;
      }
      return false;
    }
    for (const cidr of this.v6) if (cidrContains(cidr, u)) return true;
    return false;
  }

  /** A new set with the blocks of both. */
  union(other: AddressSet | Iterable<Cidr>): AddressSet {
    const more = other instanceof AddressSet ? other.cidrs : other;
    return new AddressSet([...this.cidrs, ...more]);
  }

  /** Canonical text of each block, e.g. ["203.0.113.0/28", "2001:db8::1"]. */
  toStrings(): string[] {
    return this.cidrs.map(formatCidr);
  }
}
