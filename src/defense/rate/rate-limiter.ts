/**
 * Per-source rate limiting on the {@link SourceTable}: a token bucket per source (`burst` tokens,
 * refilled at `requestsPerSecond`), with a penalty state. A source that empties its bucket is
 * *limited*: every request it sends is refused, and still costs a token, until it slows down enough
 * for the bucket to refill to half (so a flood faster than the rate is refused as a whole instead of
 * trickling through at the rate). A source limited without pause for `floodMs` is reported once per
 * `floodMs` as flooding: the defense bans it (the provider only stays limited).
 *
 * Like Kamailio's pike, this only reports; the caller decides. `hit` allocates nothing.
 */
import { DOOR_REQUEST, SourceTable } from './source-table.js';

/** What {@link RateLimiter.hit} found. */
export const RATE_OK = 0;
export const RATE_LIMITED = 1;
/** Limited, and without pause for `floodMs` since it started or since the last report. */
export const RATE_FLOODING = 2;
export type RateHit = typeof RATE_OK | typeof RATE_LIMITED | typeof RATE_FLOODING;

export interface RateLimiterOptions {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly maxSources: number;
  readonly floodMs: number;
}

export class RateLimiter {
  readonly table: SourceTable;
  readonly #perMs: number;
  readonly #burst: number;
  readonly #recovered: number;
  readonly #floodMs: number;

  constructor(options: RateLimiterOptions, table?: SourceTable) {
    this.#perMs = options.requestsPerSecond / 1000;
    this.#burst = options.burst;
    this.#recovered = Math.max(1, options.burst / 2);
    this.#floodMs = options.floodMs;
    this.table = table ?? new SourceTable(options.maxSources, options.burst);
  }

  /** One request from `address` at `now` (ms). */
  hit(address: string, now: number): RateHit {
    const t = this.table;
    const i = t.admit(address, now, DOOR_REQUEST);
    if (i < 0) return RATE_OK; // a first sighting: a full bucket has room for one request
    const elapsed = now - t.stamp[i]!;
    let tokens = t.tokens[i]!;
    if (elapsed > 0) {
      tokens = Math.min(this.#burst, tokens + elapsed * this.#perMs);
      t.stamp[i] = now;
    }
    const since = t.limitedSince[i]!;
    if (since === 0 || tokens >= this.#recovered) {
      if (tokens >= 1) {
        t.tokens[i] = tokens - 1;
        t.limitedSince[i] = 0;
        return RATE_OK;
      }
      t.tokens[i] = 0;
      t.limitedSince[i] = now;
      return RATE_LIMITED;
    }
    t.tokens[i] = tokens >= 1 ? tokens - 1 : 0;
    if (now - since >= this.#floodMs) {
      t.limitedSince[i] = now;
      return RATE_FLOODING;
    }
    return RATE_LIMITED;
  }

  /** Whether `address` is limited right now (read-only; for the dashboard and tests). */
  isLimited(address: string): boolean {
    const i = this.table.find(address);
    return i >= 0 && this.table.limitedSince[i] !== 0;
  }
}
