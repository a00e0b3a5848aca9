/**
 * The lookup structure behind `isBanned`: exact addresses in a Map (O(1)), IPv4 blocks in one Map
 * per prefix length (a lookup costs one masked Map probe per prefix length in use, at most 32),
 * IPv6 blocks in a short list (rare: blocklists are mostly IPv4). Keys are canonical addresses and
 * blocks (`formatCidr`). The index stores bans as they are; the caller judges expiry.
 */
import { cidrContains, prefixMaskWord, type Cidr } from '../../config/cidr.js';
import { canonicalIp, parseIp, parseIPv4Word } from '../../config/ip-address.js';
import type { Ban } from '../../store/ban-store.js';

interface BlockEntry {
  readonly cidr: Cidr;
  readonly ban: Ban;
}

const MAPPED_PREFIX = '::ffff:';

export class BanIndex {
  readonly #exact = new Map<string, Ban>();
  /** prefix length → network word → ban, for IPv4 blocks shorter than /32. */
  readonly #v4 = new Map<number, Map<number, Ban>>();
  /** The prefix lengths of #v4, longest first. */
  #v4Prefixes: number[] = [];
  readonly #v6 = new Map<string, BlockEntry>();
  /** key → cidr, for every block (to delete). */
  readonly #blocks = new Map<string, Cidr>();

  get size(): number {
    return this.#exact.size + this.#blocks.size;
  }

  get(key: string): Ban | undefined {
    const exact = this.#exact.get(key);
    if (exact !== undefined) return exact;
    const cidr = this.#blocks.get(key);
    if (cidr === undefined) return undefined;
    return cidr.family === 4 ? this.#v4.get(cidr.prefix)?.get(cidr.words[0]!) : this.#v6.get(key)?.ban;
  }

  /** Adds or replaces the ban of `key` (canonical) for `cidr`. */
  set(key: string, cidr: Cidr, ban: Ban): void {
    const max = cidr.family === 4 ? 32 : 128;
    if (cidr.prefix === max) {
      this.#exact.set(key, ban);
      return;
    }
    this.#blocks.set(key, cidr);
    if (cidr.family === 6) {
      this.#v6.set(key, { cidr, ban });
      return;
    }
    let byNetwork = this.#v4.get(cidr.prefix);
    if (byNetwork === undefined) {
      byNetwork = new Map();
      this.#v4.set(cidr.prefix, byNetwork);
      this.#v4Prefixes = [...this.#v4.keys()].sort((a, b) => b - a);
    }
    byNetwork.set(cidr.words[0]!, ban);
  }

  delete(key: string): Ban | undefined {
    const exact = this.#exact.get(key);
    if (exact !== undefined) {
      this.#exact.delete(key);
      return exact;
    }
    const cidr = this.#blocks.get(key);
    if (cidr === undefined) return undefined;
    this.#blocks.delete(key);
    if (cidr.family === 6) {
      const entry = this.#v6.get(key);
      this.#v6.delete(key);
      return entry?.ban;
    }
    const byNetwork = this.#v4.get(cidr.prefix)!;
    const ban = byNetwork.get(cidr.words[0]!);
    byNetwork.delete(cidr.words[0]!);
    if (byNetwork.size === 0) {
      this.#v4.delete(cidr.prefix);
      this.#v4Prefixes = this.#v4Prefixes.filter((p) => p !== cidr.prefix);
    }
    return ban;
  }

  /** The ban in force at `now` that covers `address` (as a socket reports it), if any. */
  match(address: string, now: number): Ban | undefined {
    const exact = this.#exact.get(address);
    if (exact !== undefined && live(exact, now)) return exact;
    if (this.#blocks.size === 0 && this.#exact.size === 0) return undefined;
    let v4 = address;
    if (address.includes(':')) {
      if (!address.startsWith(MAPPED_PREFIX) || !address.includes('.')) return this.#matchV6(address, now);
      v4 = address.slice(MAPPED_PREFIX.length);
      const unmapped = this.#exact.get(v4);
      if (unmapped !== undefined && live(unmapped, now)) return unmapped;
    }
    if (this.#v4Prefixes.length === 0) return undefined;
    const word = parseIPv4Word(v4);
    if (word < 0) return undefined;
    for (const prefix of this.#v4Prefixes) {
      const ban = this.#v4.get(prefix)!.get((word & prefixMaskWord(prefix, 0)) >>> 0);
      if (ban !== undefined && live(ban, now)) return ban;
    }
    return undefined;
  }

  /** Every ban (in no particular order). */
  *values(): IterableIterator<Ban> {
    yield* this.#exact.values();
    for (const byNetwork of this.#v4.values()) yield* byNetwork.values();
    for (const entry of this.#v6.values()) yield entry.ban;
  }

  #matchV6(address: string, now: number): Ban | undefined {
    const canonical = canonicalIp(address.includes('%') ? address.slice(0, address.indexOf('%')) : address);
    if (canonical !== null && canonical !== address) {
      const exact = this.#exact.get(canonical);
      if (exact !== undefined && live(exact, now)) return exact;
    }
    if (this.#v6.size === 0) return undefined;
    const ip = parseIp(address, true);
    if (ip === null) return undefined;
    for (const { cidr, ban } of this.#v6.values()) if (cidrContains(cidr, ip) && live(ban, now)) return ban;
    return undefined;
  }
}

function live(ban: Ban, now: number): boolean {
  return ban.expiresAt === null || ban.expiresAt > now;
}
