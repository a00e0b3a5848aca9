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
 * Bytes per entry (see {@link SourceTable.bytesUsed}): 48 in the columns (key reference 8, hash 4,
 * tokens 8, stamp 8, limitedSince 8, refused 4, refusedSince 8) plus the address string kept as the
 * key (16-byte header + its characters rounded up to 8: 32 for an IPv4 address, up to 56 for IPv6):
 * about 80 bytes for an IPv4 source, 100,000 sources ≈ 8 MB.
 */

/** Slots per bucket. */
export const WAYS = 8;
/** A rate-limited source counts as this much more recently active when choosing whom to evict. */
export const HEAVY_BONUS_MS = 60_000;
const COLUMN_BYTES = 8 + 4 + 8 + 8 + 8 + 4 + 8;

/** Estimated heap bytes of a flat one-byte string of `length` characters (V8, 64-bit, no pointer compression). */
export function stringBytes(length: number): number {
  return 16 + Math.ceil(length / 8) * 8;
}

/** FNV-1a over the UTF-16 code units, with a final mix (MurmurHash3 fmix32). */
export function hashAddress(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
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

  /** `maxSources` is rounded down to a multiple of {@link WAYS} (at least one bucket). */
  constructor(maxSources: number, initialTokens: number) {
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
    const base = ((h >>> 0) % this.#buckets) * WAYS;
    const keys = this.#keys;
    let victim = base;
    let victimScore = Infinity;
    for (let i = base; i < base + WAYS; i++) {
      const key = keys[i]!;
      if (key === '') {
        if (victimScore !== -Infinity) {
          victim = i;
          victimScore = -Infinity;
        }
        continue;
      }
      if (this.#hashes[i] === h && key === address) return i;
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
    const h = hashAddress(address);
    const base = ((h >>> 0) % this.#buckets) * WAYS;
    for (let i = base; i < base + WAYS; i++) {
      if (this.#hashes[i] === h && this.#keys[i] === address) return i;
    }
    return -1;
  }

  /** Heap bytes the table holds: its columns plus the key strings (estimated, {@link stringBytes}). */
  bytesUsed(): number {
    return this.capacity * COLUMN_BYTES + this.#stringBytes;
  }

  stats(): SourceTableStats {
    return { capacity: this.capacity, size: this.#size, evictions: this.#evictions, bytes: this.bytesUsed() };
  }
}
