/**
 * Timers that one part of the lab owns: every one goes through the injected Clock, and `cancelAll()`
 * cancels whatever has not fired yet, so `stop()` leaves no timer behind.
 */
import type { Clock, TimerHandle } from '../util/clock.js';

export class LabTimers {
  readonly #clock: Clock;
  readonly #pending = new Set<TimerHandle>();
  #stopped = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `fn` once after `ms`; nothing once `cancelAll()` was called. */
  after(ms: number, fn: () => void): TimerHandle {
    if (this.#stopped) return { cancel: () => {} };
    let handle: TimerHandle | undefined;
    const own: TimerHandle = {
      cancel: () => {
        handle?.cancel();
        this.#pending.delete(own);
      },
    };
    handle = this.#clock.setTimeout(() => {
      this.#pending.delete(own);
      if (!this.#stopped) fn();
    }, ms);
    this.#pending.add(own);
    return own;
  }

  /** Timers not yet fired nor cancelled. */
  get pending(): number {
    return this.#pending.size;
  }

  cancelAll(): void {
    this.#stopped = true;
    for (const handle of [...this.#pending]) handle.cancel();
  }
}
