import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuardEvent } from '../guard-event.js';
import { scannerEvent } from '../test-kit.js';
import { openStore, type OpenStoreOptions } from '../open-store.js';
import type { Store } from '../store.js';

const clock = { now: () => 1_700_000_000_000 };
const T0 = 1_700_000_040_000; // 40 s into a 60 s window

const event = scannerEvent;

function memory(events: OpenStoreOptions['events'] = {}): Store {
  return openStore(':memory:', { clock, events: { flushIntervalMs: 0, ...events } });
}

describe('SqliteEventStore', () => {
  let store: Store;
  afterEach(() => store?.close());

  it('stores an event and reads it back field for field', () => {
    store = memory();
    const raw = Buffer.from('INVITE sip:100@192.0.2.30 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.66:5060\r\n\r\n');
    const e = event(T0, '198.51.100.66', { reasons: ['not-from-provider', 'unknown-alias'], raw });
    store.events.record(e);
    const page = store.events.query();
    expect(page.nextCursor).toBeNull();
    expect(page.events).toHaveLength(1);
    const { id, ...stored } = page.events[0]!;
    expect(id).toBeGreaterThan(0);
    expect(stored).toEqual({ ...e, count: 1, lastTime: T0, overflow: false });
  });

  it('keeps nulls as nulls and leaves raw out when there was none', () => {
    store = memory();
    store.events.record(event(T0, '198.51.100.66', { method: null, requestUri: null, from: null, to: null, userAgent: null, callId: null, family: null, reasons: ['malformed'] }));
    const got = store.events.query().events[0]!;
    expect(got).toMatchObject({ method: null, requestUri: null, from: null, to: null, userAgent: null, callId: null, family: null });
    expect('raw' in got).toBe(false);
  });

  it('a storm of 100,000 events from 1,000 sources in one window writes 1,000 rows with the right counts', () => {
    store = memory({ windowMs: 60_000, newRowsPerSecond: 100_000 });
    for (let i = 0; i < 100_000; i++) {
      const source = `198.51.${(i % 1000) >> 8}.${(i % 1000) & 255}`;
      store.events.record(event(T0 + (i % 10_000), source));
    }
    expect(store.events.count()).toEqual({ rows: 1000, events: 100_000 });
    const top = store.events.tally('source', {}, 3);
    expect(top.map((t) => [t.rows, t.events])).toEqual([
      [1, 100],
      [1, 100],
      [1, 100],
    ]);
    const one = store.events.query({ source: '198.51.0.7' }).events;
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ count: 100, time: T0 + 7, lastTime: T0 + 9007 });
    const stats = store.events.stats();
    expect(stats).toMatchObject({ recorded: 100_000, inserts: 1000, overflowed: 0, lost: 0, pendingRows: 0 });
  });

  it('caps the rows of a window: sources beyond the cap go to one overflow row', () => {
    store = memory({ maxKeysPerWindow: 100 });
    for (let i = 0; i < 150; i++) for (let k = 0; k < 3; k++) store.events.record(event(T0 + k, `203.0.113.${i}`));
    expect(store.events.count()).toEqual({ rows: 101, events: 450 });
    const overflow = store.events.query({ reason: 'overflow' }).events;
    expect(overflow).toHaveLength(1);
    expect(overflow[0]).toMatchObject({ overflow: true, count: 150, flow: { remoteAddress: '*' } });
    expect(overflow[0]!.explanation.en).toContain('count says how many');
    expect(store.events.stats().overflowed).toBe(150);
  });

  it('starts new rows in a new window', () => {
    store = memory({ windowMs: 10_000 });
    store.events.record(event(T0, '198.51.100.66'));
    store.events.record(event(T0 + 5_000, '198.51.100.66'));
    store.events.record(event(T0 + 10_000, '198.51.100.66'));
    const rows = store.events.query().events;
    expect(rows.map((r) => [r.time, r.count])).toEqual([
      [T0 + 10_000, 1],
      [T0, 2],
    ]);
  });

  describe('query', () => {
    beforeEach(() => {
      store = memory();
      store.events.record(event(T0, '198.51.100.1', { reasons: ['not-from-provider', 'unknown-alias'] }));
      store.events.record(event(T0 + 61_000, '198.51.100.2', { reasons: ['banned'], family: null, userAgent: 'Asterisk PBX 50%_off' }));
      store.events.record(event(T0 + 122_000, '10.77.0.9', { leg: 'lan', reasons: ['not-allowed'], family: null, requestUri: 'sip:bob@10.77.0.1' }));
    });

    it('filters by time: rows overlapping [since, until)', () => {
      expect(store.events.query({ since: T0 + 1 }).events.map((e) => e.flow.remoteAddress)).toEqual(['10.77.0.9', '198.51.100.2']);
      expect(store.events.query({ until: T0 + 61_000 }).events.map((e) => e.flow.remoteAddress)).toEqual(['198.51.100.1']);
      expect(store.events.count({ since: T0 + 61_000, until: T0 + 61_001 }).rows).toBe(1);
    });

    it('filters by any reason code, source, family and leg', () => {
      expect(store.events.query({ reason: 'unknown-alias' }).events).toHaveLength(1);
      expect(store.events.query({ reason: 'unknown' }).events).toHaveLength(0);
      expect(store.events.query({ source: '198.51.100.2' }).events[0]!.reasons).toEqual(['banned']);
      expect(store.events.query({ family: 'sipvicious' }).events).toHaveLength(1);
      expect(store.events.query({ leg: 'lan' }).events[0]!.requestUri).toBe('sip:bob@10.77.0.1');
    });

    it('searches text case-insensitively, with % and _ taken literally', () => {
      expect(store.events.query({ text: 'asterisk' }).events).toHaveLength(1);
      expect(store.events.query({ text: '50%_' }).events).toHaveLength(1);
      expect(store.events.query({ text: '5%' }).events).toHaveLength(0);
      expect(store.events.query({ text: 'sip:bob@' }).events).toHaveLength(1);
      expect(store.events.query({ text: 'ブロック' }).events).toHaveLength(3);
    });

    it('pages newest first with a cursor', () => {
      const first = store.events.query({ limit: 2 });
      expect(first.events.map((e) => e.flow.remoteAddress)).toEqual(['10.77.0.9', '198.51.100.2']);
      expect(first.nextCursor).not.toBeNull();
      const second = store.events.query({ limit: 2, cursor: first.nextCursor });
      expect(second.events.map((e) => e.flow.remoteAddress)).toEqual(['198.51.100.1']);
      expect(second.nextCursor).toBeNull();
      expect(() => store.events.query({ cursor: "1 OR 1=1" })).toThrow(expect.objectContaining({ code: 'GG_ERR_STORE_QUERY' }));
    });

    it('tallies by reason and family', () => {
      expect(store.events.tally('reason')).toEqual([
        { key: 'banned', rows: 1, events: 1 },
        { key: 'not-allowed', rows: 1, events: 1 },
        { key: 'not-from-provider', rows: 1, events: 1 },
      ]);
      expect(store.events.tally('family')).toEqual([{ key: 'sipvicious', rows: 1, events: 1 }]);
    });
  });

  it('prunes rows past retention, by their last event', () => {
    const day = 86_400_000;
    store = memory({ retentionMs: 30 * day, windowMs: 60_000 });
    store.events.record(event(T0 - 40 * day, '198.51.100.1'));
    store.events.record(event(T0 - 31 * day, '198.51.100.2'));
    store.events.record(event(T0 - 29 * day, '198.51.100.3'));
    store.events.record(event(T0, '198.51.100.4'));
    expect(store.events.prune(T0)).toBe(2);
    expect(store.events.query().events.map((e) => e.flow.remoteAddress)).toEqual(['198.51.100.4', '198.51.100.3']);
    expect(store.events.prune(T0)).toBe(0);
  });

  it('never keeps more than maxRows rows: the oldest go first', () => {
    store = memory({ maxRows: 50, flushBatch: 7 });
    for (let i = 0; i < 120; i++) store.events.record(event(T0, `198.51.100.${i}`));
    store.events.flush();
    const { rows } = store.events.count();
    expect(rows).toBeLessThanOrEqual(50);
    const kept = store.events.query({ limit: 1000 }).events.map((e) => e.flow.remoteAddress);
    expect(kept[0]).toBe('198.51.100.119');
    expect(kept).not.toContain('198.51.100.0');
  });

  it('writes at once when flushBatch new rows are waiting, not per packet', () => {
    store = memory({ flushBatch: 10 });
    for (let i = 0; i < 9; i++) store.events.record(event(T0, `198.51.100.${i}`));
    expect(store.events.stats()).toMatchObject({ flushes: 0, pendingRows: 9 });
    store.events.record(event(T0, '198.51.100.9'));
    expect(store.events.stats()).toMatchObject({ flushes: 1, inserts: 10, pendingRows: 0 });
    for (let i = 0; i < 1000; i++) store.events.record(event(T0, '198.51.100.9'));
    expect(store.events.stats()).toMatchObject({ flushes: 1, pendingRows: 1 });
  });

  it('writes new rows in the background every flushIntervalMs, count bumps every updateIntervalMs', () => {
    vi.useFakeTimers();
    try {
      store = openStore(':memory:', { clock, events: { flushIntervalMs: 100, updateIntervalMs: 300 } });
      store.events.record(event(T0, '198.51.100.1'));
      expect(store.events.stats().flushes).toBe(0);
      vi.advanceTimersByTime(100);
      expect(store.events.stats()).toMatchObject({ flushes: 1, inserts: 1, pendingRows: 0 });
      store.events.record(event(T0 + 1, '198.51.100.1'));
      vi.advanceTimersByTime(100);
      expect(store.events.stats()).toMatchObject({ flushes: 1, updates: 0, pendingRows: 1 });
      vi.advanceTimersByTime(100);
      expect(store.events.stats()).toMatchObject({ flushes: 2, updates: 1, pendingRows: 0 });
      store.close();
      store.events.record(event(T0 + 2, '198.51.100.1'));
      vi.advanceTimersByTime(1000);
      expect(store.events.stats()).toMatchObject({ flushes: 2, afterClose: 1 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('SqliteEventStore on a file: flush, close, failures', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gg-events-'));
    path = join(dir, 'gg.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('by default opens at most 200 new rows a second: a burst from 1,000 new sources is 200 rows and one overflow row, every event counted', () => {
    const s = memory({});
    for (let i = 0; i < 1000; i++) s.events.record(event(T0, `198.51.${i >> 8}.${i & 255}`));
    expect(s.events.count()).toEqual({ rows: 201, events: 1000 });
    expect(s.events.stats()).toMatchObject({ overflowed: 800 });
    s.close();
  });

  it('close() writes everything still buffered', () => {
    const a = openStore(path, { clock, events: { flushIntervalMs: 0, newRowsPerSecond: 100_000 } });
    for (let i = 0; i < 2500; i++) a.events.record(event(T0 + i, `198.51.100.${i % 250}`));
    expect(a.events.stats().pendingRows).toBeGreaterThan(0);
    a.close();
    a.close();
    expect(() => a.events.flush()).toThrow(expect.objectContaining({ code: 'GG_ERR_STORE_CLOSED' }));
    a.events.record(event(T0, '198.51.100.1'));
    const b = openStore(path, { clock, events: { flushIntervalMs: 0 } });
    expect(b.events.count()).toEqual({ rows: 250, events: 2500 });
    b.close();
  });

  it('a reader on a second connection sees flushed rows while the guard writes (WAL)', () => {
    const guard = openStore(path, { clock, events: { flushIntervalMs: 0 } });
    const reader = openStore(path, { clock, events: { flushIntervalMs: 0 } });
    guard.events.record(event(T0, '198.51.100.1'));
    expect(reader.events.count().rows).toBe(0);
    guard.events.flush();
    expect(reader.events.count()).toEqual({ rows: 1, events: 1 });
    guard.events.record(event(T0 + 1, '198.51.100.1'));
    guard.events.flush();
    expect(reader.events.count()).toEqual({ rows: 1, events: 2 });
    guard.close();
    expect(reader.events.query().events[0]!.count).toBe(2);
    reader.close();
  });

  it('keeps events buffered when a write fails, reports it, and writes them once it works again', () => {
    const errors: string[] = [];
    const guard = openStore(path, { clock, events: { flushIntervalMs: 0, flushBatch: 2, onError: (e) => errors.push(e.code) } });
    // Another connection makes inserts fail, as a full disk would.
    const other = new Database(path);
    other.exec("CREATE TRIGGER fail BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    guard.events.record(event(T0, '198.51.100.1'));
    guard.events.record(event(T0, '198.51.100.2'));
    expect(errors).toEqual(['GG_ERR_STORE']);
    expect(guard.events.stats()).toMatchObject({ pendingRows: 2, inserts: 0 });
    expect(guard.events.stats().lastError).toContain('disk full');
    expect(() => guard.events.flush()).toThrow(expect.objectContaining({ code: 'GG_ERR_STORE' }));
    guard.events.record(event(T0 + 1, '198.51.100.1'));
    other.exec('DROP TRIGGER fail');
    other.close();
    guard.events.flush();
    expect(guard.events.count()).toEqual({ rows: 2, events: 3 });
    expect(guard.events.stats().lost).toBe(0);
    guard.close();
  });
});
