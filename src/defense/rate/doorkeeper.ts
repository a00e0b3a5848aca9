/**
 * A doorkeeper (as in TinyLFU): a small Bloom filter that remembers which sources were sighted once,
 * so that a source costs a real table entry (or a name in a WAN reader's tally) only at its second
 * sighting. A flood of one-packet spoofed sources then sets bits instead of filling tables.
 *
 * Two bits per sighting, from one 32-bit hash of the address ({@link hashAddress}). The filter is
 * cleared every `periodMs` and when a quarter of its bits' worth of sightings went in (false
 * positives stay rare: a few percent at worst). A false positive only takes a source for sighted
 * before, as if there were no doorkeeper.
 */

/** Bits of a filter by default (2^20: 128 KiB). */
export const DOORKEEPER_BITS = 1 << 20;
/** How long a first sighting is remembered at most, by default. */
export const DOORKEEPER_PERIOD_MS = 60_000;

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

export class Doorkeeper {
  readonly #words: Int32Array;
  readonly #mask: number;
  readonly #shift: number;
  readonly #maxSightings: number;
  readonly #periodMs: number;
  #sightings = 0;
  #clearedAt = -Infinity;

  /** `bits`: a power of two, 2^10 to 2^30. */
  constructor(bits = DOORKEEPER_BITS, periodMs = DOORKEEPER_PERIOD_MS) {
    const log2 = Math.log2(bits);
    if (!Number.isInteger(log2) || log2 < 10 || log2 > 30) throw new RangeError(`doorkeeper bits must be a power of two from 2^10 to 2^30, not ${bits}`);
    this.#words = new Int32Array(bits / 32);
    this.#mask = bits - 1;
    this.#shift = 32 - log2;
    this.#maxSightings = bits / 4;
    this.#periodMs = periodMs;
  }

  get bytes(): number {
    return this.#words.byteLength;
  }

  /** Whether `hash` was sighted since the filter was last cleared; from now on it has been. */
  sight(hash: number, now: number): boolean {
    if (now - this.#clearedAt >= this.#periodMs || this.#sightings >= this.#maxSightings) this.#clear(now);
    if (this.has(hash)) return true;
    this.#set(hash & this.#mask);
    this.#set(Math.imul(hash, 0x9e3779b1) >>> this.#shift);
    this.#sightings++;
    return false;
  }

  /** Whether `hash` was sighted since the filter was last cleared (changes nothing). */
  has(hash: number): boolean {
    return this.#isSet(hash & this.#mask) && this.#isSet(Math.imul(hash, 0x9e3779b1) >>> this.#shift);
  }

  #isSet(bit: number): boolean {
    return (this.#words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  #set(bit: number): void {
    this.#words[bit >>> 5]! |= 1 << (bit & 31);
  }

  #clear(now: number): void {
    this.#words.fill(0);
    this.#sightings = 0;
    this.#clearedAt = now;
  }
}
