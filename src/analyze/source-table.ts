/**
 * Per-source tallies of what strangers sent to the phone side, for at most `capacity` sources (a flood
 * of spoofed sources fills the table, then is counted in `otherSources`).
 */
import type { GhostSource } from './analysis.js';

const MAX_FAMILIES = 5;
/** Distinct sources past the table counted exactly up to this many (then no longer counted). */
const OVERFLOW_CAP = 100_000;

interface Tally {
  ghostCalls: number;
  requests: number;
  rang: number;
  answered: number;
  readonly families: Set<string>;
  first: number;
  last: number;
}

export class SourceTable {
  private readonly tallies = new Map<string, Tally>();
  otherSources = 0;
  private readonly overflow = new Set<string>();

  constructor(readonly capacity = 10_000) {}

  private tally(source: string): Tally | null {
    const found = this.tallies.get(source);
    if (found !== undefined) return found;
    if (this.tallies.size >= this.capacity) {
      // Count distinct overflow sources only up to a bound as well.
      if (this.overflow.size < OVERFLOW_CAP && !this.overflow.has(source)) {
        this.overflow.add(source);
        this.otherSources++;
      }
      return null;
    }
    const fresh: Tally = { ghostCalls: 0, requests: 0, rang: 0, answered: 0, families: new Set(), first: Infinity, last: -Infinity };
    this.tallies.set(source, fresh);
    return fresh;
  }

  request(source: string, time: number, family: string | null, ghostCall: boolean): void {
    const t = this.tally(source);
    if (t === null) return;
    t.requests++;
    if (ghostCall) t.ghostCalls++;
    if (family !== null && t.families.size < MAX_FAMILIES) t.families.add(family);
    if (time < t.first) t.first = time;
    if (time > t.last) t.last = time;
  }

  rang(source: string): void {
    const t = this.tallies.get(source);
    if (t !== undefined) t.rang++;
  }

  answered(source: string): void {
    const t = this.tallies.get(source);
    if (t !== undefined) t.answered++;
  }

  /** Most ghost calls first, then most requests. */
  top(n: number): GhostSource[] {
    return [...this.tallies.entries()]
      .sort((a, b) => b[1].ghostCalls - a[1].ghostCalls || b[1].requests - a[1].requests)
      .slice(0, n)
      .map(([source, t]) => ({
        source,
        ghostCalls: t.ghostCalls,
        requests: t.requests,
        rang: t.rang,
        answered: t.answered,
        families: [...t.families],
        first: new Date(t.first).toISOString(),
        last: new Date(t.last).toISOString(),
      }));
  }
}
