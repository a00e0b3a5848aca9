/**
 * The per-source table of the defense layer: a fixed-capacity, set-associative cache keyed by the
 * source address, holding what the rate limiter and the refusal counter know about each source.
 *
 * Memory never grows past `capacity` entries, whatever arrives: a flood from a million spoofed
 * addresses only evicts. The table is `capacity / WAYS` buckets of `WAYS` slots; an address hashes
 * to one bucket and lives in one of its slots. A new address takes an empty slot of its bucket, else
 * evicts the slot least recently active — a source that is being rate-limited counts as
 * `HEAVY_BONUS_MS` more recent, so that a crowd of one-packet spoofed sources does not push the
 * real flooder out. Lookups are O(WAYS) and allocate nothing (the columns are typed arrays, the key
 * is the address string the socket already made).
 *
 * Admission ({@link SourceTable.admit}, `doorkeeper.ts`, as in TinyLFU): a source enters the table at
 * its second sighting, not its first. A first sighting only sets two bits in a small Bloom filter
 * (one per counter: the rate limiter's requests, the refusal counter's refusals), and the entry
 * claimed at the second sighting starts with the first one already counted (one token spent, one
 * refusal). So the counts are those of a table without a doorkeeper, while a flood of one-packet
 * spoofed sources touches 128 KiB of bits instead of evicting real sources from the table. The
 * filters are cleared every `doorkeeperMs` (and when a quarter full): a first sighting older than
 * that is forgotten (a source is then counted from its second request). A false positive of the
 * filter only admits a source at its first sighting, as without a doorkeeper.
 *
 * Bytes per entry (see {@link SourceTable.bytesUsed}): 48 in the columns (key reference 8, hash 4,
 * tokens 8, stamp 8, limitedSince 8, refused 4, refusedSince 8) plus the address string kept as the
 * key (16-byte header + its characters rounded up to 8: 32 for an IPv4 address, up to 56 for IPv6):
 * about 80 bytes for an IPv4 source, 100,000 sources ≈ 8 MB.
 */
import { DOORKEEPER_BITS, DOORKEEPER_PERIOD_MS, Doorkeeper, hashAddress } from './doorkeeper.js';

/** Slots per bucket. */
export const WAYS = 8;
/** A rate-limited source counts as this much more recently active when choosing whom to evict. */
export const HEAVY_BONUS_MS = 60_000;
const COLUMN_BYTES = 8 + 4 + 8 + 8 + 8 + 4 + 8;

/** Which counter sights a source: {@link SourceTable.admit}. */
export const DOOR_REQUEST = 0;
export const DOOR_REFUSAL = 1;
export type Door = typeof DOOR_REQUEST | typeof DOOR_REFUSAL;

/** Estimated heap bytes of a flat one-byte string of `length` characters (V8, 64-bit, no pointer compression). */
export function stringBytes(length: number): number {
  return 16 + Math.ceil(length / 8) * 8;
}

export interface SourceTableStats {
  readonly capacity: number;
  readonly size: number;
  readonly evictions: number;
  readonly bytes: number;
}

export class SourceTable {
  readonly capacity: number;
  /** Token bucket level (rate-limiter.ts). */
  readonly tokens: Float64Array;
  /** Last activity, ms; also the token bucket's last refill. */
  readonly stamp: Float64Array;
  /** Since when the source is rate-limited without pause (ms), 0: it is not. */
  readonly limitedSince: Float64Array;
  /** Refused requests in the current window (refusal-counter.ts) and the window's start. */
  readonly refused: Uint32Array;
  readonly refusedSince: Float64Array;
  readonly #initialTokens: number;
  readonly #buckets: number;
  readonly #keys: string[];
  readonly #hashes: Int32Array;
  #size = 0;
  #evictions = 0;
  #stringBytes = 0;
  /** One doorkeeper per counter ({@link Door}). */
  readonly #doors: readonly [Doorkeeper, Doorkeeper];

  /**
   * `maxSources` is rounded down to a multiple of {@link WAYS} (at least one bucket);
   * `doorkeeperMs`: how long a first sighting is remembered at most (default 60 s).
   */
  constructor(maxSources: number, initialTokens: number, doorkeeperMs = DOORKEEPER_PERIOD_MS) {
    this.#doors = [new Doorkeeper(DOORKEEPER_BITS, doorkeeperMs), new Doorkeeper(DOORKEEPER_BITS, doorkeeperMs)];
    this.#buckets = Math.max(1, Math.floor(maxSources / WAYS));
    this.capacity = this.#buckets * WAYS;
    this.#initialTokens = initialTokens;
    this.#keys = new Array<string>(this.capacity).fill('');
    this.#hashes = new Int32Array(this.capacity);
    this.tokens = new Float64Array(this.capacity);
    this.stamp = new Float64Array(this.capacity);
    this.limitedSince = new Float64Array(this.capacity);
    this.refused = new Uint32Array(this.capacity);
    this.refusedSince = new Float64Array(this.capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** The slot of `address`, claimed (fresh state, full bucket) when it is not in the table. */
  slot(address: string, now: number): number {
    const h = hashAddress(address);
    const found = this.#find(address, h);
    return found >= 0 ? found : this.#claim(address, h, now);
  }

  /**
   * The slot of `address` as the doorkeeper admits it: found, or claimed at the source's second
   * sighting by either counter (with the first one counted); -1 at its first sighting by `door`,
   * which is only remembered.
   */
  admit(address: string, now: number, door: Door): number {
    const h = hashAddress(address);
    const found = this.#find(address, h);
    if (found >= 0) return found;
    if (!this.#doors[door].sight(h, now)) return -1;
    const slot = this.#claim(address, h, now);
    if (this.#doors[DOOR_REQUEST].has(h)) this.tokens[slot] = Math.max(0, this.#initialTokens - 1);
    if (this.#doors[DOOR_REFUSAL].has(h)) this.refused[slot] = 1;
    return slot;
  }

  #find(address: string, h: number): number {
    const base = ((h >>> 0) % this.#buckets) * WAYS;
    const keys = this.#keys;
    for (let i = base; i < base + WAYS; i++) {
      if (this.#hashes[i] === h && keys[i] === address) return i;
    }
    return -1;
  }

  /** Claims a slot of `address`'s bucket: an empty one, else the least recently active one's. */
  #claim(address: string, h: number, now: number): number {
    const base = ((h >>> 0) % this.#buckets) * WAYS;
    const keys = this.#keys;
    let victim = base;
    let victimScore = Infinity;
    for (let i = base; i < base + WAYS; i++) {
      if (keys[i] === '') {
        victim = i;
        break;
      }
      const score = this.stamp[i]! + (this.limitedSince[i] !== 0 ? HEAVY_BONUS_MS : 0);
      if (score < victimScore) {
        victim = i;
        victimScore = score;
      }
    }
    const old = keys[victim]!;
    if (old === '') this.#size++;
    else {
      this.#evictions++;
      this.#stringBytes -= stringBytes(old.length);
    }
    keys[victim] = address;
    this.#hashes[victim] = h;
    this.#stringBytes += stringBytes(address.length);
    this.tokens[victim] = this.#initialTokens;
    this.stamp[victim] = now;
    this.limitedSince[victim] = 0;
    this.refused[victim] = 0;
    this.refusedSince[victim] = now;
    return victim;
  }

  /** The slot of `address`, or -1 when it is not in the table (claims nothing). */
  find(address: string): number {
    return this.#find(address, hashAddress(address));
  }

  /** Heap bytes the table holds: its columns, the key strings (estimated, {@link stringBytes}) and the doorkeeper's filters. */
  bytesUsed(): number {
    return this.capacity * COLUMN_BYTES + this.#stringBytes + this.#doors[0].bytes + this.#doors[1].bytes;
  }

  stats(): SourceTableStats {
    return { capacity: this.capacity, size: this.#size, evictions: this.#evictions, bytes: this.bytesUsed() };
  }
}
