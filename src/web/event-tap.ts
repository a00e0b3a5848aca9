/**
 * The live tap on the guard's event record: wraps a store so that every event the guard records is
 * also told to subscribers as it happens (the live feed, the timeline). Everything else passes
 * straight through. A subscriber that throws is unsubscribed (and reported to `onListenerError`)
 * rather than allowed to break recording.
 */
import type { EventStore } from '../store/event-store.js';
import type { GuardEvent } from '../store/guard-event.js';
import type { Store } from '../store/store.js';

export type EventListener = (event: GuardEvent) => void;

export interface EventTap {
  /** The store to give the guard (or the lab). */
  readonly store: Store;
  subscribe(listener: EventListener): () => void;
}

export function tapEvents(store: Store, onListenerError: (error: unknown) => void = () => {}): EventTap {
  const listeners = new Set<EventListener>();
  const events = store.events;
  const tapped: EventStore = {
    record(event) {
      events.record(event);
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          listeners.delete(listener); // a broken subscriber: dropped, recording goes on
          onListenerError(error);
        }
      }
    },
    flush: () => events.flush(),
    query: (query) => events.query(query),
    count: (filter) => events.count(filter),
    tally: (by, filter, limit) => events.tally(by, filter, limit),
    prune: (now) => events.prune(now),
    stats: () => events.stats(),
  };
  return {
    store: { events: tapped, bindings: store.bindings, bans: store.bans, settings: store.settings, close: () => store.close() },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
