/**
 * The events table's model (event-list.js, a browser module without DOM): live events are counted
 * into rows the way the store aggregates them, and the store's next page replaces the live rows
 * without moving anything while the reader is busy.
 */
import { describe, expect, it } from 'vitest';

interface Row {
  id?: number;
  liveKey?: string;
  source: string;
  time: number;
  lastTime: number;
  count: number;
  reasons: string[];
  overflow?: boolean;
}
interface Page {
  events: Row[];
  nextCursor: string | null;
}
interface EventListModule {
  addressOf(source: string): string;
  EventList: {
    new (): { rows: Row[]; pending: Row[]; cursor: string | null; setPage(p: Page, append: boolean): void; live(e: Row, hold: boolean): string; upsert(e: Row, hold: boolean): string; refresh(p: Page, hold: boolean): Map<string, string>; showPending(): void };
    key(row: Row): string;
  };
}

// A plain browser module: loaded untyped, described by the interface above.
const { EventList, addressOf } = (await import('./event-list.js' as string)) as EventListModule;

const T0 = 1_795_000_020_000 - (1_795_000_020_000 % 60_000);
const row = (id: number | undefined, source: string, at: number, reason = 'not-from-provider'): Row => ({
  ...(id === undefined ? {} : { id }),
  source,
  time: T0 + at,
  lastTime: T0 + at,
  count: 1,
  reasons: [reason],
});

describe('EventList', () => {
  it('takes the address out of a source, IPv4 and IPv6', () => {
    expect(addressOf('198.51.100.66:5060')).toBe('198.51.100.66');
    expect(addressOf('[2001:db8::1]:5060')).toBe('2001:db8::1');
    expect(addressOf('2001:db8::1')).toBe('2001:db8::1');
  });

  it('counts a live event into the row of its source, primary reason and minute; else adds a row on top', () => {
    const list = new EventList();
    list.setPage({ events: [row(2, '192.0.2.1:5060', 2000), row(1, '192.0.2.2:5060', 1000)], nextCursor: '1' }, false);
    expect(list.live(row(undefined, '192.0.2.1:5099', 3000), false)).toBe('updated');
    expect(list.rows[0]).toMatchObject({ id: 2, count: 2, lastTime: T0 + 3000 });
    expect(list.live(row(undefined, '192.0.2.1:5060', 3500, 'flood'), false)).toBe('added');
    expect(list.live(row(undefined, '192.0.2.1:5060', 61_000), false)).toBe('added');
    expect(list.rows.map((r) => r.liveKey === undefined)).toEqual([false, false, true, true]);
    expect(list.cursor).toBe('1');
  });

  it('holds new rows back while the reader is busy, and shows them on demand', () => {
    const list = new EventList();
    list.setPage({ events: [row(1, '192.0.2.2:5060', 1000)], nextCursor: null }, false);
    expect(list.live(row(undefined, '192.0.2.3:5060', 2000), true)).toBe('held');
    expect(list.rows).toHaveLength(1);
    list.showPending();
    expect(list.rows.map((r) => r.source)).toEqual(['192.0.2.3:5060', '192.0.2.2:5060']);
    expect(list.pending).toHaveLength(0);
  });

  it('updates a stored row the feed sends again in place, and holds a new one while busy', () => {
    const list = new EventList();
    list.setPage({ events: [row(1, '192.0.2.2:5060', 1000)], nextCursor: null }, false);
    expect(list.upsert({ ...row(1, '192.0.2.2:5060', 1000), count: 9 }, true)).toBe('updated');
    expect(list.rows[0]!.count).toBe(9);
    expect(list.upsert(row(2, '192.0.2.5:5060', 2000), true)).toBe('held');
    expect(list.upsert(row(3, '192.0.2.6:5060', 2500), false)).toBe('added');
    expect(list.rows.map(EventList.key)).toEqual(['id-3', 'id-1']);
    expect(list.pending.map(EventList.key)).toEqual(['id-2']);
  });

  it("replaces live rows with the store's rows, keeping an open row's place while busy", () => {
    const make = (): InstanceType<EventListModule['EventList']> => {
      const list = new EventList();
      list.setPage({ events: [row(1, '192.0.2.2:5060', 1000)], nextCursor: null }, false);
      list.live(row(undefined, '192.0.2.3:5060', 2000), false);
      return list;
    };
    const page: Page = { events: [row(3, '192.0.2.4:5060', 3000), row(2, '192.0.2.3:5060', 2000), row(1, '192.0.2.2:5060', 1000)], nextCursor: null };

    const busy = make();
    const liveKey = busy.rows[0]!.liveKey!;
    expect(busy.refresh(page, true).get(liveKey)).toBe('id-2');
    expect(busy.rows.map(EventList.key)).toEqual(['id-2', 'id-1']);
    expect(busy.pending.map(EventList.key)).toEqual(['id-3']);

    const idle = make();
    idle.refresh(page, false);
    expect(idle.rows.map(EventList.key)).toEqual(['id-3', 'id-2', 'id-1']);
    expect(idle.pending).toHaveLength(0);
  });
});
