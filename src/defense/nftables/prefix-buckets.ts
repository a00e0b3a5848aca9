/**
 * Finds the entries inside a block without scanning them all: entries are kept in buckets by their
 * first 16 bits (IPv4) or 32 bits (IPv6); a block looks only at the buckets it covers (at most 65,536)
 * and at the few entries wider than a bucket. So a blocklist of 100,000 blocks costs about as much
 * as 100,000 lookups, not 100,000² comparisons.
 */
import { cidrContains, type Cidr } from '../../config/cidr.js';
import type { IpFamily } from '../../config/ip-address.js';

const BUCKET_BITS: Record<IpFamily, number> = { 4: 16, 6: 32 };
/** Blocks that cover more buckets than this scan the bucket list instead. */
const MAX_ENUMERATED = 65_536;

function bucketOf(cidr: Cidr): number {
  return cidr.family === 4 ? cidr.words[0]! >>> 16 : cidr.words[0]!;
}

export class PrefixBuckets {
  private readonly buckets: Record<IpFamily, Map<number, Map<string, Cidr>>> = { 4: new Map(), 6: new Map() };
  /** Entries wider than a bucket. */
  private readonly wide = new Map<string, Cidr>();

  add(key: string, cidr: Cidr): void {
    if (cidr.prefix < BUCKET_BITS[cidr.family]) {
      this.wide.set(key, cidr);
      return;
    }
    const map = this.buckets[cidr.family];
    const id = bucketOf(cidr);
    let bucket = map.get(id);
    if (bucket === undefined) map.set(id, (bucket = new Map()));
    bucket.set(key, cidr);
  }

  delete(key: string, cidr: Cidr): void {
    if (cidr.prefix < BUCKET_BITS[cidr.family]) {
      this.wide.delete(key);
      return;
    }
    const map = this.buckets[cidr.family];
    const id = bucketOf(cidr);
    const bucket = map.get(id);
    if (bucket === undefined) return;
    bucket.delete(key);
    if (bucket.size === 0) map.delete(id);
  }

  /** The keys of the entries strictly inside `block` (longer prefix, contained). */
  inside(block: Cidr): string[] {
    const found: string[] = [];
    const take = (entries: Iterable<[string, Cidr]>): void => {
      for (const [key, c] of entries) {
        if (c.family === block.family && c.prefix > block.prefix && cidrContains(block, c)) found.push(key);
      }
    };
    take(this.wide);
    const bits = BUCKET_BITS[block.family];
    const map = this.buckets[block.family];
    if (block.prefix >= bits) {
      take(map.get(bucketOf(block))?.entries() ?? []);
      return found;
    }
    const count = 2 ** (bits - block.prefix);
    if (count > MAX_ENUMERATED || count > map.size) {
      for (const bucket of map.values()) take(bucket);
      return found;
    }
    const base = bucketOf(block);
    for (let i = 0; i < count; i++) {
      const bucket = map.get(base + i);
      if (bucket !== undefined) take(bucket);
    }
    return found;
  }
}
