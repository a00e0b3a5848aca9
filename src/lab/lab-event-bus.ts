/**
 * The lab's event stream: listeners subscribe and unsubscribe; the last events are kept (bounded) so
 * that a client connecting late (a dashboard page opened mid-demo) can be shown what came before.
 * A listener that throws is reported to `onListenerError` and never stops the others or the lab.
 */
import type { LabEvent, LabListener } from './lab-event.js';

export interface LabEventBusOptions {
  /** Events kept for `history()` (default 500). */
  readonly historySize?: number;
  readonly onListenerError?: (error: unknown, event: LabEvent) => void;
}

export class LabEventBus {
  readonly #listeners = new Set<LabListener>();
  readonly #history: LabEvent[] = [];
  readonly #historySize: number;
  readonly #onListenerError: (error: unknown, event: LabEvent) => void;
  #listenerErrors = 0;

  constructor(options: LabEventBusOptions = {}) {
    this.#historySize = Math.max(0, options.historySize ?? 500);
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: LabListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: LabEvent): void {
    this.#history.push(event);
    if (this.#history.length > this.#historySize) this.#history.splice(0, this.#history.length - this.#historySize);
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#listenerErrors++;
        this.#onListenerError(error, event);
      }
    }
  }

  /** The most recent events, oldest first. */
  history(): readonly LabEvent[] {
    return [...this.#history];
  }

  get listenerErrors(): number {
    return this.#listenerErrors;
  }
}
