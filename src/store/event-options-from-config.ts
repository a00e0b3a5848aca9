/** The event store settings of a validated config (`events.*` keys). */
import type { EventsConfig } from '../config/config.js';
import type { EventStoreOptions } from './sqlite/sqlite-event-store.js';

export function eventOptionsFromConfig(events: EventsConfig): EventStoreOptions {
  return {
    windowMs: events.aggregateWindowSeconds * 1000,
    maxKeysPerWindow: events.maxSourcesPerWindow,
    newRowsPerSecond: events.newSourcesPerSecond,
    retentionMs: events.retentionDays * 86_400_000,
    maxRows: events.maxRows,
  };
}
