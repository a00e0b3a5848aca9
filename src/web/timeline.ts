/**
 * The per-minute timeline of the dashboard: provider calls delivered and requests blocked (by scanner
 * family), in a ring of at most `maxMinutes` buckets fed live. Bounded twice: old minutes fall off,
 * and each bucket keeps at most `maxFamilies` family names (the rest count under `other`).
 */
export interface TimelineBucket {
  /** Start of the minute, ms since the epoch. */
  readonly t: number;
  readonly delivered: number;
  readonly blocked: number;
  readonly byFamily: Readonly<Record<string, number>>;
}

interface MutableBucket {
  t: number;
  delivered: number;
  blocked: number;
  byFamily: Map<string, number>;
}

export const MINUTE_MS = 60_000;
const DEFAULT_MAX_MINUTES = 1440;
const DEFAULT_MAX_FAMILIES = 32;

export class Timeline {
  readonly #maxMinutes: number;
  readonly #maxFamilies: number;
  /** Oldest first; minutes without anything are absent. */
  readonly #buckets: MutableBucket[] = [];

  constructor(maxMinutes = DEFAULT_MAX_MINUTES, maxFamilies = DEFAULT_MAX_FAMILIES) {
    this.#maxMinutes = maxMinutes;
    this.#maxFamilies = maxFamilies;
  }

  blocked(at: number, family: string | null, count = 1): void {
    const b = this.#bucket(at);
    if (b === null) return;
    b.blocked += count;
    if (family === null) return;
    const key = b.byFamily.has(family) || b.byFamily.size < this.#maxFamilies ? family : 'other';
    b.byFamily.set(key, (b.byFamily.get(key) ?? 0) + count);
  }

  delivered(at: number, count = 1): void {
    const b = this.#bucket(at);
    if (b !== null) b.delivered += count;
  }

  /** Every minute of the last `minutes` up to `now`, oldest first (empty minutes as zeros). */
  buckets(minutes: number, now: number): TimelineBucket[] {
    const last = minuteOf(now);
    const first = last - (minutes - 1) * MINUTE_MS;
    const byT = new Map(this.#buckets.filter((b) => b.t >= first && b.t <= last).map((b) => [b.t, b]));
    const out: TimelineBucket[] = [];
    for (let t = first; t <= last; t += MINUTE_MS) out.push(freeze(byT.get(t) ?? { t, delivered: 0, blocked: 0, byFamily: new Map() }));
    return out;
  }

  /** The bucket of the minute of `now`. */
  current(now: number): TimelineBucket {
    return this.buckets(1, now)[0]!;
  }

  #bucket(at: number): MutableBucket | null {
    const t = minuteOf(at);
    const newest = this.#buckets.at(-1);
    if (newest !== undefined && newest.t === t) return newest;
    if (newest !== undefined && t < newest.t) {
      // A late event (clock skew, a slow write): into its own minute while that is within the ring.
      const found = this.#buckets.find((b) => b.t === t);
      if (found !== undefined) return found;
      if (t <= newest.t - this.#maxMinutes * MINUTE_MS) return null;
      const b: MutableBucket = { t, delivered: 0, blocked: 0, byFamily: new Map() };
      const at = this.#buckets.findIndex((x) => x.t > t);
      this.#buckets.splice(at, 0, b);
      return b;
    }
    const b: MutableBucket = { t, delivered: 0, blocked: 0, byFamily: new Map() };
    this.#buckets.push(b);
    const horizon = t - (this.#maxMinutes - 1) * MINUTE_MS;
    while (this.#buckets.length > 0 && this.#buckets[0]!.t < horizon) this.#buckets.shift();
    return b;
  }
}

export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function freeze(b: MutableBucket): TimelineBucket {
  return { t: b.t, delivered: b.delivered, blocked: b.blocked, byFamily: Object.fromEntries(b.byFamily) };
}
