/**
 * The named timers of one transaction, all through the Clock seam. A state machine starts and
 * cancels them only from its transition function (and restarts a retransmission timer from that
 * timer's own handler), so leaving a state always cancels that state's timers.
 */
import type { Clock, TimerHandle } from '../util/clock.js';

export class TimerSet<Name extends string> {
  readonly #clock: Clock;
  readonly #handles = new Map<Name, TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Starts (or restarts) the timer `name`; `fire` runs once after `ms` unless cancelled. */
  start(name: Name, ms: number, fire: () => void): void {
    this.cancel(name);
    const handle = this.#clock.setTimeout(() => {
      if (this.#handles.get(name) !== handle) return;
      this.#handles.delete(name);
      fire();
    }, ms);
    this.#handles.set(name, handle);
  }

  cancel(name: Name): void {
    const handle = this.#handles.get(name);
    if (handle === undefined) return;
    handle.cancel();
    this.#handles.delete(name);
  }

  /** Cancels every running timer not named in `keep`. */
  keepOnly(keep: readonly Name[]): void {
    for (const name of [...this.#handles.keys()]) {
      if (!keep.includes(name)) this.cancel(name);
    }
  }

  cancelAll(): void {
    this.keepOnly([]);
  }

  isRunning(name: Name): boolean {
    return this.#handles.has(name);
  }

  /** Names of the running timers (for tests and diagnostics). */
  running(): Name[] {
    return [...this.#handles.keys()];
  }
}
