/**
 * Addresses the provider really answered REGISTER from, trusted while it keeps doing so.
 *
 * A provider may answer from an address no DNS record names (a registrar behind a load balancer, a
 * pool that grew). Each answer re-learns its source address with a fresh expiry; an address that stops
 * answering expires. The set is bounded: at `max` entries, learning a new address forgets the one
 * learned (or re-learned) longest ago. Because every entry gets the same lifetime, that is also the
 * one closest to expiry, so a Map kept in re-learning order is both the LRU list and the expiry queue.
 *
 * Callers must learn only from responses matched to a REGISTER the guard sent (RFC 3261 §17.1.3: the
 * branch is random, so an off-path sender cannot forge a match).
 */
import type { Clock } from '../../util/clock.js';

export interface LearnedAddress {
  /** Canonical IP literal (IPv4-mapped IPv6 written as IPv4). */
  readonly address: string;
  /** Why it was learned, e.g. "answered REGISTER for voip.example.test". */
  readonly reason: string;
  /** When it was first learned (ms since the epoch); kept across re-learning. */
  readonly since: number;
  /** ms since the epoch. */
  readonly expires: number;
}

export interface LearnedAddressesOptions {
  /** Lifetime of an entry after its last answer, in seconds. Default 7200 (two hours). */
  readonly ttlSeconds?: number;
  /** Most entries kept. Default 32. */
  readonly max?: number;
}

export const DEFAULT_LEARNED_TTL_SECONDS = 7200;
export const DEFAULT_LEARNED_MAX = 32;

export class LearnedAddresses {
  readonly ttlMs: number;
  readonly max: number;
  private readonly entries = new Map<string, LearnedAddress>();

  constructor(
    private readonly clock: Clock,
    options: LearnedAddressesOptions = {},
  ) {
    this.ttlMs = Math.max(1, options.ttlSeconds ?? DEFAULT_LEARNED_TTL_SECONDS) * 1000;
    this.max = Math.max(1, Math.floor(options.max ?? DEFAULT_LEARNED_MAX));
  }

  /**
   * Learns (or re-learns) a canonical address; returns true when it was not already known.
   * Forgets the oldest entry when the set is full.
   */
  learn(address: string, reason: string): boolean {
    const now = this.clock.now();
    this.prune(now);
    const known = this.entries.get(address);
    this.entries.delete(address);
    if (known === undefined && this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(address, { address, reason, since: known?.since ?? now, expires: now + this.ttlMs });
    return known === undefined;
  }

  /** Is this canonical address learned and not expired? */
  has(address: string): boolean {
    const entry = this.entries.get(address);
    return entry !== undefined && entry.expires > this.clock.now();
  }

  /** Live entries, the longest-unconfirmed first. */
  list(): LearnedAddress[] {
    this.prune(this.clock.now());
    return [...this.entries.values()];
  }

  get size(): number {
    this.prune(this.clock.now());
    return this.entries.size;
  }

  /** Drops expired entries: they sit at the front, in expiry order. */
  private prune(now: number): void {
    for (const [address, entry] of this.entries) {
      if (entry.expires > now) break;
      this.entries.delete(address);
    }
  }
}
