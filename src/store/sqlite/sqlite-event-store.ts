/**
 * The event store on SQLite. `record` only aggregates in memory (see {@link EventAggregator}); rows are
 * written in one transaction every `flushIntervalMs`, when `flushBatch` new rows are waiting, when a new
 * window opens, on `flush()` and on close. Reads flush first, so they see every recorded event.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { EventAggregator, type AggregateRow } from '../event-aggregator.js';
import type { CountedEvent, EventCount, EventFilter, EventPage, EventQuery, EventStore, EventStoreStats, EventTally } from '../event-store.js';
import type { GuardEvent } from '../guard-event.js';
import { StoreError } from '../store-error.js';
import { eventFromRow, type EventRow } from './event-row.js';
import { eventWhere } from './event-where.js';

export interface EventStoreOptions {
  /** Aggregation window, default 60 s. */
  readonly windowMs?: number;
  /** Rows per window before the overflow row takes the rest, default 10,000. */
  readonly maxKeysPerWindow?: number;
  /** New rows per second (bursts of one second's worth) before the overflow row takes the rest, default 200. */
  readonly newRowsPerSecond?: number;
  /** Rows older than this are pruned, default 30 days. */
  readonly retentionMs?: number;
  /** Hard cap on rows; the oldest 10 % beyond it are deleted at the next write. Default 1,000,000. */
  readonly maxRows?: number;
  /** Background write of new rows, default every 100 ms; 0: no timer (writes on batch, window change, flush). */
  readonly flushIntervalMs?: number;
  /**
   * Background write of count bumps to rows already written, default every 2 s: in a storm of many
   * sources this is the bulk of the writing, and only readers need it (reads flush first anyway).
   */
  readonly updateIntervalMs?: number;
  /** New rows that trigger a write at once, default 256 (a write of that many takes a few ms). */
  readonly flushBatch?: number;
  /** Bytes of each message kept, default 4 KiB. */
  readonly rawMaxBytes?: number;
  /** Told about failed background writes (the events stay buffered and are retried). */
  readonly onError?: (error: StoreError) => void;
}

const DAY_MS = 86_400_000;
const QUERY_LIMIT_DEFAULT = 100;
const QUERY_LIMIT_MAX = 1000;

const INSERT_SQL = `INSERT INTO events (time, last_time, window_start, count, overflow, leg, transport, local_address,
  local_port, remote_address, remote_port, method, request_uri, from_header, to_header, user_agent, call_id, reason,
  reasons, family, explanation_en, explanation_ja, raw)
  VALUES (@time, @lastTime, @windowStart, @count, @overflow, @leg, @transport, @localAddress, @localPort, @remoteAddress,
  @remotePort, @method, @requestUri, @from, @to, @userAgent, @callId, @reason, @reasons, @family, @en, @ja, @raw)`;

export class SqliteEventStore implements EventStore {
  private readonly aggregator: EventAggregator;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly timer: NodeJS.Timeout | null;
  private readonly retentionMs: number;
  private readonly maxRows: number;
  private readonly flushBatch: number;
  private rowCount: number;
  private closed = false;
  private counters = { recorded: 0, inserts: 0, updates: 0, flushes: 0, afterClose: 0 };
  private lastError: string | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly options: EventStoreOptions = {},
  ) {
    this.aggregator = new EventAggregator({
      windowMs: options.windowMs ?? 60_000,
      maxKeysPerWindow: options.maxKeysPerWindow ?? 10_000,
      newRowsPerSecond: options.newRowsPerSecond ?? 200,
      rawMaxBytes: options.rawMaxBytes ?? 4096,
    });
    this.retentionMs = options.retentionMs ?? 30 * DAY_MS;
    this.maxRows = options.maxRows ?? 1_000_000;
    this.flushBatch = options.flushBatch ?? 256;
    this.insert = db.prepare(INSERT_SQL);
    this.update = db.prepare('UPDATE events SET count = ?, last_time = ? WHERE id = ?');
    this.rowCount = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const interval = options.flushIntervalMs ?? 100;
    const updateEvery = Math.max(1, Math.round((options.updateIntervalMs ?? 2000) / Math.max(interval, 1)));
    let tick = 0;
    this.timer =
      interval > 0
        ? setInterval(() => {
            tick = (tick + 1) % updateEvery;
            this.backgroundFlush(tick !== 0);
          }, interval)
        : null;
    this.timer?.unref();
  }

  record(event: GuardEvent): void {
    if (!this.taking(event.time, 1)) return;
    this.aggregator.add(event);
    this.taken();
  }

  bump(time: number, remoteAddress: string, primaryReason: string): CountedEvent | undefined {
    if (this.closed) return undefined;
    const row = this.aggregator.bump(time, remoteAddress, primaryReason);
    if (row !== undefined) this.counters.recorded++;
    return row;
  }

  countUnnamed(time: number, count: number, first: () => GuardEvent): void {
    if (!this.taking(time, count)) return;
    this.aggregator.addUnnamed(time, count, first);
    this.taken();
  }

  /** Before `count` events at `time` go to the aggregator: false once closed; the old window written first. */
  private taking(time: number, count: number): boolean {
    if (this.closed) {
      this.counters.afterClose += count;
      return false;
    }
    this.counters.recorded += count;
    if (this.aggregator.startsNewWindow(time)) this.backgroundFlush();
    return true;
  }

  /** After events went to the aggregator: a full batch of new rows is written. */
  private taken(): void {
    if (this.aggregator.pendingInserts >= this.flushBatch) this.backgroundFlush(true);
  }

  flush(): void {
    this.assertOpen();
    this.write();
  }

  query(query: EventQuery = {}): EventPage {
    this.flush();
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? QUERY_LIMIT_DEFAULT), 1), QUERY_LIMIT_MAX);
    const where = eventWhere(query);
    if (query.cursor !== undefined && query.cursor !== null) {
      if (!/^[1-9][0-9]{0,15}$/.test(query.cursor)) {
        throw new StoreError('GG_ERR_STORE_QUERY', `"${query.cursor.slice(0, 40)}" is not a cursor of this store`);
      }
      where.clauses.push('id < ?');
      where.params.push(Number(query.cursor));
    }
    const sql = `SELECT * FROM events ${where.sql()} ORDER BY id DESC LIMIT ?`;
    const rows = this.statement(sql).all(...where.params, limit + 1) as EventRow[];
    const more = rows.length > limit;
    const events = rows.slice(0, limit).map(eventFromRow);
    return { events, nextCursor: more ? String(events[events.length - 1]!.id) : null };
  }

  count(filter: EventFilter = {}): EventCount {
    this.flush();
    const where = eventWhere(filter);
    const row = this.statement(`SELECT count(*) AS rows, coalesce(sum(count), 0) AS events FROM events ${where.sql()}`).get(
      ...where.params,
    ) as EventCount;
    return { rows: row.rows, events: row.events };
  }

  tally(by: 'source' | 'reason' | 'family', filter: EventFilter = {}, limit = 10): EventTally[] {
    this.flush();
    const column = { source: 'remote_address', reason: 'reason', family: 'family' }[by];
    const where = eventWhere(filter);
    if (by === 'family') where.clauses.push('family IS NOT NULL');
    const sql = `SELECT ${column} AS key, count(*) AS rows, sum(count) AS events FROM events ${where.sql()}
      GROUP BY ${column} ORDER BY events DESC, key LIMIT ?`;
    return this.statement(sql).all(...where.params, Math.max(1, Math.trunc(limit))) as EventTally[];
  }

  prune(now: number = this.clock.now()): number {
    this.flush();
    const removed = this.db.prepare('DELETE FROM events WHERE last_time < ?').run(now - this.retentionMs).changes;
    this.rowCount -= removed;
    return removed + this.trim();
  }

  stats(): EventStoreStats {
    return {
      ...this.counters,
      overflowed: this.aggregator.overflowed,
      lost: this.aggregator.lost,
      pendingRows: this.aggregator.pendingRows,
      lastError: this.lastError,
    };
  }

  /** Stops the timer and writes what is buffered; later records are ignored (and counted). */
  shutdown(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    try {
      this.write();
    } finally {
      this.closed = true;
    }
  }

  /** Writes the dirty rows (with `onlyNew`, only rows not yet inserted) in one transaction. */
  private write(onlyNew = false): void {
    if ((onlyNew ? this.aggregator.pendingInserts : this.aggregator.pendingRows) === 0) return;
    const batch = this.aggregator.takeDirty(onlyNew);
    const inserted = new Map<AggregateRow, number>();
    try {
      this.db.transaction(() => {
        for (const row of batch) this.writeRow(row, inserted);
      })();
    } catch (err) {
      this.aggregator.requeue(batch);
      const error = new StoreError('GG_ERR_STORE', `writing ${batch.length} event rows failed: ${(err as Error).message}`, { cause: err });
      this.lastError = error.message;
      throw error;
    }
    for (const [row, id] of inserted) row.rowId = id;
    this.aggregator.written(batch);
    this.counters.flushes++;
    this.counters.inserts += inserted.size;
    this.counters.updates += batch.length - inserted.size;
    this.rowCount += inserted.size;
    if (this.rowCount > this.maxRows) this.trim();
  }

  private writeRow(row: AggregateRow, inserted: Map<AggregateRow, number>): void {
    if (row.rowId !== null) {
      // Touches nothing when the row was pruned meanwhile: its later counts go with it.
      this.update.run(row.count, row.lastTime, row.rowId);
      return;
    }
    const e = row.event!;
    const info = this.insert.run({
      time: e.time,
      lastTime: row.lastTime,
      windowStart: row.windowStart,
      count: row.count,
      overflow: row.overflow ? 1 : 0,
      leg: e.leg,
      transport: e.flow.transport,
      localAddress: e.flow.localAddress,
      localPort: e.flow.localPort,
      remoteAddress: e.flow.remoteAddress,
      remotePort: e.flow.remotePort,
      method: e.method,
      requestUri: e.requestUri,
      from: e.from,
      to: e.to,
      userAgent: e.userAgent,
      callId: e.callId,
      reason: e.reasons[0] ?? 'unknown',
      reasons: ` ${e.reasons.join(' ')} `,
      family: e.family,
      en: e.explanation.en,
      ja: e.explanation.ja,
      raw: e.raw ?? null,
    });
    inserted.set(row, Number(info.lastInsertRowid));
  }

  /** Deletes the oldest rows down to 90 % of the cap once the cap is exceeded. */
  private trim(): number {
    if (this.rowCount <= this.maxRows) return 0;
    const excess = this.rowCount - Math.floor(this.maxRows * 0.9);
    const removed = this.db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)').run(excess).changes;
    this.rowCount -= removed;
    return removed;
  }

  private backgroundFlush(onlyNew = false): void {
    if (this.closed) return;
    try {
      this.write(onlyNew);
    } catch (err) {
      this.options.onError?.(err as StoreError);
    }
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('GG_ERR_STORE_CLOSED', 'the event store is closed');
  }
}
