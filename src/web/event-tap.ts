/**
 * The live tap on the guard's event record: wraps a store so that every event the guard records is
 * also told to subscribers as it happens (the live feed, the timeline). An event a flood adds to a
 * row that already stands for it (`EventSink.bump`, never built in full) is told to the count
 * subscribers only, with the family of its row. Everything else passes straight through. A
 * subscriber that throws is unsubscribed (and reported to `onListenerError`) rather than allowed to
 * break recording.
 */
import type { GuardEvent } from '../store/guard-event.js';
import { hookedStore } from '../store/hooked-store.js';
import type { Store } from '../store/store.js';

export type EventListener = (event: GuardEvent) => void;
/** One more event counted into an existing row: when, and the family of that row. */
export type CountListener = (time: number, family: string | null) => void;

export interface EventTap {
  /** The store to give the guard (or the lab). */
  readonly store: Store;
  subscribe(listener: EventListener): () => void;
  subscribeCounted(listener: CountListener): () => void;
}

export function tapEvents(store: Store, onListenerError: (error: unknown) => void = () => {}): EventTap {
  const listeners = new Set<EventListener>();
  const counters = new Set<CountListener>();
  const tell = <L extends (...args: never[]) => void>(set: Set<L>, call: (listener: L) => void): void => {
    for (const listener of set) {
      try {
        call(listener);
      } catch (error) {
        set.delete(listener); // a broken subscriber: dropped, recording goes on
        onListenerError(error);
      }
    }
  };
  const tapped = hookedStore(store, {
    recorded: (event) => tell(listeners, (listener) => listener(event)),
    counted: (time, row) => {
      if (counters.size > 0) tell(counters, (listener) => listener(time, row.family));
    },
  });
  return {
    store: tapped,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeCounted(listener) {
      counters.add(listener);
      return () => counters.delete(listener);
    },
  };
}
