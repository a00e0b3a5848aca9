/**
 * The store the lab hands to the guard: the real one, with the event sink tapped, so that every
 * request the guard refuses is also told to the lab as it happens (the guard records every refusal:
 * that record is the lab's "guard blocked" feed). Everything else passes straight through.
 */
import type { EventStore } from '../store/event-store.js';
import type { GuardEvent } from '../store/guard-event.js';
import type { Store } from '../store/store.js';

export function watchedStore(store: Store, onRecord: (event: GuardEvent) => void): Store {
  const events = store.events;
  const tapped: EventStore = {
    record(event) {
      events.record(event);
      onRecord(event);
    },
    flush: () => events.flush(),
    query: (query) => events.query(query),
    count: (filter) => events.count(filter),
    tally: (by, filter, limit) => events.tally(by, filter, limit),
    prune: (now) => events.prune(now),
    stats: () => events.stats(),
  };
  return {
    events: tapped,
    bindings: store.bindings,
    bans: store.bans,
    settings: store.settings,
    close: () => store.close(),
  };
}
