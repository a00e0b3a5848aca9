/**
 * Flood aggregation in memory, before anything touches the disk.
 *
 * Time is cut into fixed windows (`windowMs`, aligned to the epoch). Within the open window, events are
 * grouped by (source address, primary reason): the first one of a group becomes a row kept in full,
 * later ones only raise its `count` and `lastTime`. At most `maxKeysPerWindow` groups are kept per
 * window, and at most `newRowsPerSecond` new ones a second (a token bucket holding one second's
 * worth); events of any further group are counted in one overflow row. So memory, rows written and
 * the work of building full events are bounded however many packets (or spoofed sources) arrive.
 *
 * Rows that changed since the last write are "dirty"; a writer takes them, writes them, and gives them
 * back with {@link requeue} if the write failed. An event later than the open window opens a new one
 * (the writer must have written the old one first: what is still dirty then is counted as lost). An
 * event earlier than the open window (a late packet) is counted in the open window.
 */
import { OVERFLOW_REASON, type GuardEvent } from './guard-event.js';

export interface AggregateRow {
  readonly key: string;
  readonly windowStart: number;
  /** The first event in full until the row is inserted; null afterwards (only the counts change). */
  event: GuardEvent | null;
  /** The first event's scanner family (kept after `event` is let go). */
  readonly family: string | null;
  readonly overflow: boolean;
  count: number;
  lastTime: number;
  /** Database id once inserted. */
  rowId: number | null;
  dirty: boolean;
}

export interface EventAggregatorOptions {
  readonly windowMs: number;
  readonly maxKeysPerWindow: number;
  /** Bytes of `raw` kept per row. */
  readonly rawMaxBytes: number;
  /** New rows a second at most, in bursts of one second's worth (default: no limit). */
  readonly newRowsPerSecond?: number;
}

/** Seconds of new rows the bucket holds. */
const BURST_SECONDS = 1;

const OVERFLOW_KEY = '\u0000overflow';

const keyOf = (remoteAddress: string, primary: string): string => `${remoteAddress}\u0000${primary}`;

const OVERFLOW_EXPLANATION = Object.freeze({
  en: 'More requests were blocked in this time window from so many other sources that they are not listed one by one; the count says how many.',
  ja: 'この時間帯には、ほかにも非常に多くの送信元からのリクエストをブロックしました。送信元ごとには記録せず、件数だけを数えています。',
});

export class EventAggregator {
  private windowStart: number | null = null;
  private readonly rows = new Map<string, AggregateRow>();
  /** Sources with a row of their own in the open window: a flood's new sources skip the row lookup. */
  private readonly sources = new Set<string>();
  private dirty: AggregateRow[] = [];
  private uninserted = 0;
  /** Events counted into overflow rows, and events dropped with a window that could not be written. */
  overflowed = 0;
  lost = 0;
  private tokens: number;
  private refilledAt = -Infinity;

  constructor(private readonly options: EventAggregatorOptions) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    const rate = this.options.newRowsPerSecond;
    return rate === undefined ? Infinity : rate * BURST_SECONDS;
  }

  /** Can a new (non-overflow) row be opened at `time`? Refills the bucket first. */
  private roomForNewRow(time: number): boolean {
    if (this.rows.size >= this.options.maxKeysPerWindow) return false;
    const rate = this.options.newRowsPerSecond;
    if (rate === undefined) return true;
    if (time > this.refilledAt) {
      if (this.refilledAt !== -Infinity) this.tokens = Math.min(this.burst, this.tokens + ((time - this.refilledAt) * rate) / 1000);
      this.refilledAt = time;
    }
    return this.tokens >= 1;
  }

  windowOf(time: number): number {
    const w = this.options.windowMs;
    return Math.floor(time / w) * w;
  }

  /** True when `time` lies after the open window: write the dirty rows before adding it. */
  startsNewWindow(time: number): boolean {
    return this.windowStart !== null && this.windowOf(time) > this.windowStart;
  }

  /** Dirty rows not yet in the database (each holds a full event in memory). */
  get pendingInserts(): number {
    return this.uninserted;
  }

  get pendingRows(): number {
    return this.dirty.length;
  }

  add(event: GuardEvent): void {
    this.enterWindow(event.time);
    const key = keyOf(event.flow.remoteAddress, event.reasons[0] ?? 'unknown');
    let row = this.rows.get(key);
    if (row === undefined && !this.roomForNewRow(event.time)) {
      this.overflowed++;
      row = this.overflowRow(() => event);
    } else if (row === undefined) {
      this.tokens--;
      this.newRow(key, this.kept(event), false);
      return;
    }
    this.countInto(row, event.time, 1);
  }

  /**
   * The flood path: counts one more event into the open window's row for this source and primary
   * reason, or into the overflow row when no new row may open (the window is full, or this second's
   * new rows are spent), without the event itself (nobody needs to build it). Returns that row; undefined when the event needs a row of its own, or opens
   * a new window: then build it and {@link add} it.
   */
  bump(time: number, remoteAddress: string, primary: string): AggregateRow | undefined {
    if (this.windowStart === null || this.windowOf(time) > this.windowStart) return undefined;
    let row = this.sources.has(remoteAddress) ? this.rows.get(keyOf(remoteAddress, primary)) : undefined;
    if (row === undefined) {
      if (this.roomForNewRow(time)) return undefined;
      row = this.rows.get(OVERFLOW_KEY);
      if (row === undefined) return undefined;
      this.overflowed++;
    }
    this.countInto(row, time, 1);
    return row;
  }

  /**
   * `count` events from sources not named one by one, counted into the overflow row (opened from
   * `first()` when the window has none): they never open rows of their own.
   */
  addUnnamed(time: number, count: number, first: () => GuardEvent): void {
    this.enterWindow(time);
    this.overflowed += count;
    this.countInto(this.overflowRow(first), time, count);
  }

  /**
   * The rows to write; they are clean from now on unless given back by {@link requeue}. With
   * `onlyNew`, only rows not yet inserted: count bumps of inserted rows can wait for a later write.
   */
  takeDirty(onlyNew = false): AggregateRow[] {
    const all = this.dirty;
    let batch = all;
    if (onlyNew) {
      batch = [];
      this.dirty = [];
      for (const row of all) (row.rowId === null ? batch : this.dirty).push(row);
    } else {
      this.dirty = [];
    }
    for (const row of batch) row.dirty = false;
    this.uninserted = 0;
    return batch;
  }

  /** Gives back rows whose write failed (those of a window already closed are lost). */
  requeue(batch: readonly AggregateRow[]): void {
    for (const row of batch) {
      if (this.rows.get(row.key) === row) this.markDirty(row);
      else if (row.rowId === null) this.lost += row.count;
    }
  }

  /** After a write: inserted rows drop their full event from memory. */
  written(batch: readonly AggregateRow[]): void {
    for (const row of batch) if (row.rowId !== null) row.event = null;
  }

  /** Opens the window of `time` when it lies after the open one (or none is open). */
  private enterWindow(time: number): void {
    const window = this.windowOf(time);
    if (this.windowStart === null || window > this.windowStart) this.openWindow(window);
  }

  /** The open window's overflow row, opened from the event `first()` builds when there is none. */
  private overflowRow(first: () => GuardEvent): AggregateRow {
    return this.rows.get(OVERFLOW_KEY) ?? this.newRow(OVERFLOW_KEY, this.overflowEvent(first()), true);
  }

  /** `n` more events at `time` in `row`. */
  private countInto(row: AggregateRow, time: number, n: number): void {
    row.count += n;
    if (time > row.lastTime) row.lastTime = time;
    this.markDirty(row);
  }

  private openWindow(start: number): void {
    for (const row of this.dirty) if (row.rowId === null) this.lost += row.count;
    this.dirty = [];
    this.uninserted = 0;
    this.rows.clear();
    this.sources.clear();
    this.windowStart = start;
  }

  private newRow(key: string, event: GuardEvent, overflow: boolean): AggregateRow {
    const row: AggregateRow = {
      key,
      windowStart: this.windowStart!,
      event,
      family: event.family,
      overflow,
      count: overflow ? 0 : 1,
      lastTime: event.time,
      rowId: null,
      dirty: false,
    };
    this.rows.set(key, row);
    if (!overflow) this.sources.add(event.flow.remoteAddress);
    this.markDirty(row);
    return row;
  }

  private markDirty(row: AggregateRow): void {
    if (row.dirty) return;
    row.dirty = true;
    this.dirty.push(row);
    if (row.rowId === null) this.uninserted++;
  }

  /** A copy that holds at most `rawMaxBytes` of the message (and not the whole receive buffer). */
  private kept(event: GuardEvent): GuardEvent {
    const raw = event.raw;
    if (raw === undefined) return event;
    return { ...event, raw: Buffer.from(raw.subarray(0, this.options.rawMaxBytes)) };
  }

  private overflowEvent(first: GuardEvent): GuardEvent {
    return {
      time: first.time,
      flow: { ...first.flow, remoteAddress: '*', remotePort: 0 },
      leg: first.leg,
      method: null,
      requestUri: null,
      from: null,
      to: null,
      userAgent: null,
      callId: null,
      reasons: [OVERFLOW_REASON],
      family: null,
      explanation: OVERFLOW_EXPLANATION,
    };
  }
}
