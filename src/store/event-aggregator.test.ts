import { describe, expect, it } from 'vitest';
import { EventAggregator } from './event-aggregator.js';
import type { GuardEvent } from './guard-event.js';

function event(time: number, source: string, reasons: string[] = ['not-from-provider'], raw?: Buffer): GuardEvent {
  return {
    time,
    flow: { transport: 'udp', localAddress: '192.0.2.30', localPort: 5071, remoteAddress: source, remotePort: 5060 },
    leg: 'wan',
    method: 'INVITE',
    requestUri: 'sip:100@192.0.2.30',
    from: '"sipvicious"<sip:100@1.1.1.1>',
    to: '"sipvicious"<sip:100@1.1.1.1>',
    userAgent: 'friendly-scanner',
    callId: `c-${time}`,
    reasons,
    family: 'sipvicious',
    explanation: { en: 'Blocked.', ja: 'ブロックしました。' },
    ...(raw ? { raw } : {}),
  };
}

const options = { windowMs: 60_000, maxKeysPerWindow: 3, rawMaxBytes: 8 };

describe('EventAggregator', () => {
  it('keeps the first event of a (source, primary reason) in full and counts the rest', () => {
    const a = new EventAggregator(options);
    a.add(event(1000, '198.51.100.66'));
    a.add(event(2000, '198.51.100.66'));
    a.add(event(1500, '198.51.100.66'));
    const rows = a.takeDirty();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 3, lastTime: 2000, windowStart: 0, overflow: false });
    expect(rows[0]!.event?.callId).toBe('c-1000');
  });

  it('groups by the primary reason only', () => {
    const a = new EventAggregator(options);
    a.add(event(1000, '198.51.100.66', ['not-from-provider', 'unknown-alias']));
    a.add(event(1001, '198.51.100.66', ['not-from-provider']));
    a.add(event(1002, '198.51.100.66', ['malformed']));
    expect(a.takeDirty().map((r) => [r.event?.reasons[0], r.count])).toEqual([
      ['not-from-provider', 2],
      ['malformed', 1],
    ]);
  });

  it('counts the groups beyond the cap in one overflow row', () => {
    const a = new EventAggregator(options);
    for (let i = 0; i < 10; i++) a.add(event(1000 + i, `198.51.100.${i}`));
    a.add(event(2000, '198.51.100.0')); // a kept source still counts on its own row
    const rows = a.takeDirty();
    expect(rows).toHaveLength(4);
    const overflow = rows.find((r) => r.overflow)!;
    expect(overflow.count).toBe(7);
    expect(overflow.lastTime).toBe(1009);
    expect(overflow.event?.flow.remoteAddress).toBe('*');
    expect(overflow.event?.reasons).toEqual(['overflow']);
    expect(rows.find((r) => r.key.startsWith('198.51.100.0\u0000'))!.count).toBe(2);
    expect(a.overflowed).toBe(7);
  });

  it('opens a new window for a later event; a late event counts in the open window', () => {
    const a = new EventAggregator(options);
    a.add(event(59_999, '198.51.100.66'));
    expect(a.startsNewWindow(60_000)).toBe(true);
    expect(a.startsNewWindow(30_000)).toBe(false);
    const first = a.takeDirty();
    a.add(event(60_000, '198.51.100.66'));
    a.add(event(59_000, '198.51.100.66'));
    const second = a.takeDirty();
    expect(first[0]).toMatchObject({ windowStart: 0, count: 1 });
    expect(second[0]).toMatchObject({ windowStart: 60_000, count: 2, lastTime: 60_000 });
    expect(a.lost).toBe(0);
  });

  it('counts as lost what was not written when the window moved on', () => {
    const a = new EventAggregator(options);
    a.add(event(1000, '198.51.100.66'));
    a.add(event(1001, '198.51.100.66'));
    a.add(event(70_000, '198.51.100.66'));
    expect(a.lost).toBe(2);
    expect(a.takeDirty()).toHaveLength(1);
  });

  it('keeps at most rawMaxBytes of the message, in its own copy', () => {
    const packet = Buffer.from('INVITE sip:100@192.0.2.30 SIP/2.0\r\n');
    const a = new EventAggregator(options);
    a.add(event(1, '198.51.100.66', undefined, packet));
    const raw = a.takeDirty()[0]!.event!.raw!;
    expect(raw.toString()).toBe('INVITE s');
    packet[0] = 0x58;
    expect(raw.toString()).toBe('INVITE s');
  });

  it('gives rows back after a failed write, and drops the full event once inserted', () => {
    const a = new EventAggregator(options);
    a.add(event(1, '198.51.100.66'));
    const batch = a.takeDirty();
    expect(a.pendingRows).toBe(0);
    a.requeue(batch);
    expect(a.pendingRows).toBe(1);
    expect(a.pendingInserts).toBe(1);
    const again = a.takeDirty();
    again[0]!.rowId = 7;
    a.written(again);
    expect(again[0]!.event).toBeNull();
    a.add(event(2, '198.51.100.66'));
    expect(a.pendingRows).toBe(1);
    expect(a.pendingInserts).toBe(0);
  });

  it('can take only the rows not yet inserted, leaving count bumps for later', () => {
    const a = new EventAggregator(options);
    a.add(event(1, '198.51.100.1'));
    const first = a.takeDirty();
    first[0]!.rowId = 1;
    a.written(first);
    a.add(event(2, '198.51.100.1'));
    a.add(event(3, '198.51.100.2'));
    const fresh = a.takeDirty(true);
    expect(fresh.map((r) => r.key.split('\u0000')[0])).toEqual(['198.51.100.2']);
    expect(a.pendingRows).toBe(1);
    expect(a.pendingInserts).toBe(0);
    expect(a.takeDirty().map((r) => r.count)).toEqual([2]);
  });

  describe('bump (the flood path: counted without the event)', () => {
    it('counts into the row of the same source and primary reason and gives its family; a new key or window needs the event', () => {
      const a = new EventAggregator(options);
      expect(a.bump(1000, '198.51.100.66', 'not-from-provider')).toBeUndefined(); // no window yet
      a.add(event(1000, '198.51.100.66'));
      expect(a.bump(1200, '198.51.100.66', 'not-from-provider')).toMatchObject({ family: 'sipvicious', count: 2, lastTime: 1200 });
      expect(a.bump(1100, '198.51.100.66', 'not-from-provider')).toMatchObject({ count: 3, lastTime: 1200 });
      expect(a.bump(1300, '198.51.100.66', 'malformed')).toBeUndefined();
      expect(a.bump(1300, '198.51.100.67', 'not-from-provider')).toBeUndefined();
      expect(a.bump(61_000, '198.51.100.66', 'not-from-provider')).toBeUndefined(); // the next window
      const rows = a.takeDirty();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ count: 3, lastTime: 1200 });
      expect(rows[0]!.event?.callId).toBe('c-1000');
    });

    it('marks a written row dirty again, and keeps the family after the event is let go', () => {
      const a = new EventAggregator(options);
      a.add(event(1000, '198.51.100.66'));
      const batch = a.takeDirty();
      batch[0]!.rowId = 7;
      a.written(batch);
      expect(batch[0]!.event).toBeNull();
      expect(a.bump(1500, '198.51.100.66', 'not-from-provider')).toMatchObject({ family: 'sipvicious', count: 2 });
      expect(a.takeDirty()).toEqual([expect.objectContaining({ rowId: 7, count: 2 })]);
    });

    it('counts into the overflow row once the window is full (the first overflow event makes that row)', () => {
      const a = new EventAggregator(options);
      for (let i = 1; i <= 3; i++) a.add(event(1000, `198.51.100.${i}`));
      expect(a.bump(1000, '198.51.100.9', 'not-from-provider')).toBeUndefined();
      a.add(event(1000, '198.51.100.9'));
      expect(a.bump(1001, '198.51.100.10', 'not-from-provider')).toMatchObject({ overflow: true, family: null, count: 2 });
      expect(a.overflowed).toBe(2);
    });
  });

  it('opens at most newRowsPerSecond new rows a second (bursts of one second\'s worth); the rest go to the overflow row', () => {
    const a = new EventAggregator({ windowMs: 60_000, maxKeysPerWindow: 1000, rawMaxBytes: 8, newRowsPerSecond: 50 });
    for (let i = 0; i < 80; i++) a.add(event(1000, `198.51.100.${i}`)); // a burst: 50 rows, 30 overflowed
    expect(a.bump(1000, '198.51.101.1', 'not-from-provider')).toMatchObject({ overflow: true });
    expect(a.bump(1000, '198.51.100.3', 'not-from-provider')).toMatchObject({ overflow: false, count: 2 }); // its row is kept
    let rows = a.takeDirty();
    expect(rows.filter((r) => !r.overflow)).toHaveLength(50);
    expect(rows.find((r) => r.overflow)?.count).toBe(31);
    // 200 ms later: ten more new sources get rows, the eleventh is overflow again.
    expect(a.bump(1200, '198.51.102.0', 'not-from-provider')).toBeUndefined();
    for (let i = 0; i < 11; i++) a.add(event(1200, `198.51.102.${i}`));
    rows = a.takeDirty();
    expect(rows.filter((r) => !r.overflow)).toHaveLength(10);
    expect(a.overflowed).toBe(32);
  });

  it('counts unnamed events (a WAN reader\'s first sightings) into the overflow row, made from the first one, even while new rows may open', () => {
    const a = new EventAggregator(options);
    let built = 0;
    const first = (): GuardEvent => {
      built++;
      return event(1000, '*');
    };
    a.addUnnamed(1000, 700, first);
    a.addUnnamed(1500, 300, first);
    a.add(event(1600, '198.51.100.1')); // a named source still gets its row
    const rows = a.takeDirty();
    expect(rows.map((r) => [r.overflow, r.count, r.lastTime])).toEqual([
      [true, 1000, 1500],
      [false, 1, 1600],
    ]);
    expect(rows[0]!.event).toMatchObject({ reasons: ['overflow'], flow: { remoteAddress: '*', remotePort: 0 } });
    expect(built).toBe(1);
    expect(a.overflowed).toBe(1000);
    a.addUnnamed(61_000, 5, first); // the next window: a row of its own
    expect(a.takeDirty().map((r) => [r.windowStart, r.count])).toEqual([[60_000, 5]]);
  });
});
