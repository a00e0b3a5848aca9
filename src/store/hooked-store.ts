/**
 * A store whose event sink also tells someone what is recorded: `recorded` sees every event written
 * in full; `counted` sees every event a flood only adds to an existing row (`EventSink.bump`), with
 * that row's family, and every event counted without a name (`EventSink.countUnnamed`). Without
 * `counted` the wrapped sink has neither, so every event is built and recorded in full (for a
 * watcher that needs each one). Everything else passes straight through.
 */
import type { CountedEvent, EventStore } from './event-store.js';
import type { GuardEvent } from './guard-event.js';
import type { Store } from './store.js';

export interface EventHooks {
  recorded(event: GuardEvent): void;
  counted?(time: number, counted: CountedEvent): void;
}

/** What an unnamed event (`EventSink.countUnnamed`) counts as: the overflow row has no family. */
const UNNAMED: CountedEvent = Object.freeze({ family: null });

export function hookedStore(store: Store, hooks: EventHooks): Store {
  const events = store.events;
  const bump = events.bump?.bind(events);
  const countUnnamed = events.countUnnamed?.bind(events);
  const counted = hooks.counted?.bind(hooks);
  const hooked: EventStore = {
    record(event) {
      events.record(event);
      hooks.recorded(event);
    },
    ...(bump === undefined || counted === undefined
      ? {}
      : {
          bump(time: number, remoteAddress: string, primaryReason: string) {
            const row = bump(time, remoteAddress, primaryReason);
            if (row !== undefined) counted(time, row);
            return row;
          },
        }),
    ...(countUnnamed === undefined || counted === undefined
      ? {}
      : {
          countUnnamed(time: number, count: number, first: () => GuardEvent) {
            countUnnamed(time, count, first);
            for (let i = 0; i < count; i++) counted(time, UNNAMED);
          },
        }),
    flush: () => events.flush(),
    query: (query) => events.query(query),
    count: (filter) => events.count(filter),
    tally: (by, filter, limit) => events.tally(by, filter, limit),
    prune: (now) => events.prune(now),
    stats: () => events.stats(),
  };
  return { events: hooked, bindings: store.bindings, bans: store.bans, settings: store.settings, close: () => store.close() };
}
