/**
 * The event seams. The hot path sees only {@link EventSink} (`record`, which must never block on I/O);
 * the dashboard, API and CLI read through {@link EventStore}.
 */
import type { GuardEvent, Leg, StoredEvent } from './guard-event.js';

export interface EventSink {
  /** Takes an event; buffered and aggregated, written later. Never throws. */
  record(event: GuardEvent): void;
  /**
   * The flood path, tried before building an event: counts one more event from `remoteAddress` with
   * this primary reason into the row that already stands for it (or into the window's overflow row)
   * and says which scanner family that row has. Undefined when the event needs a row of its own:
   * build it and `record` it. Sinks without aggregation leave it out. Never throws.
   */
  bump?(time: number, remoteAddress: string, primaryReason: string): CountedEvent | undefined;
  /**
   * `count` events from sources not named one by one (a WAN reader counted a flood's first
   * sightings without their addresses), counted into the window's overflow row; `first` builds the
   * event that row is made from when the window has none yet. Sinks without aggregation leave it
   * out (then each is recorded). Never throws.
   */
  countUnnamed?(time: number, count: number, first: () => GuardEvent): void;
}

/** What an event counted by {@link EventSink.bump} is taken to be: the first event of its row. */
export interface CountedEvent {
  readonly family: string | null;
}

export interface EventFilter {
  /** Rows whose last event is at or after `since` (ms). */
  readonly since?: number;
  /** Rows whose first event is before `until` (ms). */
  readonly until?: number;
  /** Rows carrying this reason code (primary or not). */
  readonly reason?: string;
  /** Rows from this source address, exactly as recorded. */
  readonly source?: string;
  readonly family?: string;
  readonly leg?: Leg;
  /** Substring (case-insensitive for ASCII) of the Request-URI, From, To, User-Agent, Call-ID, method, source or explanation. */
  readonly text?: string;
}

export interface EventQuery extends EventFilter {
  /** Rows per page: default 100, at most 1000. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | null;
}

export interface EventPage {
  /** Newest first. */
  readonly events: StoredEvent[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface EventCount {
  readonly rows: number;
  /** Sum of the rows' counts: the requests they stand for. */
  readonly events: number;
}

export interface EventTally extends EventCount {
  readonly key: string;
}

export interface EventStoreStats {
  /** Events taken by `record`. */
  readonly recorded: number;
  readonly inserts: number;
  readonly updates: number;
  readonly flushes: number;
  /** Events counted into overflow rows. */
  readonly overflowed: number;
  /** Events lost because a write failed and their window had to be let go. */
  readonly lost: number;
  /** Events recorded after `close()`, ignored. */
  readonly afterClose: number;
  /** Rows waiting to be written. */
  readonly pendingRows: number;
  readonly lastError: string | null;
}

export interface EventStore extends EventSink {
  /** Writes every buffered event now. */
  flush(): void;
  query(query?: EventQuery): EventPage;
  count(filter?: EventFilter): EventCount;
  /** The biggest groups by source, primary reason or family, largest event count first. */
  tally(by: 'source' | 'reason' | 'family', filter?: EventFilter, limit?: number): EventTally[];
  /** Deletes rows past retention (and beyond the row cap); returns how many. */
  prune(now?: number): number;
  stats(): EventStoreStats;
}
