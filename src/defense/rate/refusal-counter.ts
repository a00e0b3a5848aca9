/**
 * Counts refused requests per source in fixed windows, on the {@link SourceTable} (bounded like it):
 * a source refused `threshold` times within `windowMs` is reported once per window, and the defense
 * bans it (a scanner sweeping extensions, a dialer trying numbers).
 */
import { DOOR_REFUSAL, type SourceTable } from './source-table.js';

export class RefusalCounter {
  readonly #table: SourceTable;
  readonly #threshold: number;
  readonly #windowMs: number;

  constructor(table: SourceTable, threshold: number, windowMs: number) {
    this.#table = table;
    this.#threshold = threshold;
    this.#windowMs = windowMs;
  }

  /** One refused request; true exactly when it is the `threshold`-th of the source's window. */
  refused(address: string, now: number): boolean {
    const t = this.#table;
    const i = t.admit(address, now, DOOR_REFUSAL);
    if (i < 0) return this.#threshold === 1; // a first sighting: the source's first refusal
    if (now - t.refusedSince[i]! >= this.#windowMs) {
      t.refusedSince[i] = now;
      t.refused[i] = 0;
    }
    const count = t.refused[i]! + 1;
    t.refused[i] = count;
    return count === this.#threshold;
  }

  /** Refusals of `address` in its current window (0 when unknown). */
  count(address: string): number {
    const i = this.#table.find(address);
    return i < 0 ? 0 : this.#table.refused[i]!;
  }
}
