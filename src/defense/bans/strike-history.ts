/**
 * How often each address was banned, remembered after its ban ended, so that a repeat offender's
 * next ban is longer (escalation). Bounded: at most `capacity` addresses (the least recently banned
 * are forgotten first), and a strike older than `memoryMs` no longer counts.
 */
interface Strikes {
  readonly strikes: number;
  readonly at: number;
}

export class StrikeHistory {
  readonly #entries = new Map<string, Strikes>();
  readonly #capacity: number;
  readonly #memoryMs: number;

  constructor(capacity: number, memoryMs: number) {
    this.#capacity = capacity;
    this.#memoryMs = memoryMs;
  }

  /** Strikes of `address` still remembered at `now`. */
  strikes(address: string, now: number): number {
    const entry = this.#entries.get(address);
    if (entry === undefined) return 0;
    if (now - entry.at >= this.#memoryMs) {
      this.#entries.delete(address);
      return 0;
    }
    return entry.strikes;
  }

  record(address: string, strikes: number, now: number): void {
    this.#entries.delete(address);
    this.#entries.set(address, { strikes, at: now });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
