import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';
import { SourceTable } from './source-table.js';
import { Timeline, TIMELINE_BUCKETS } from './timeline.js';

describe('BoundedMap', () => {
  it('never holds more than its capacity, forgets the oldest first and counts what it forgot', () => {
    const map = new BoundedMap<number, string>(3);
    for (let i = 0; i < 10; i++) map.set(i, `v${i}`);
    expect(map.size).toBe(3);
    expect(map.evicted).toBe(7);
    expect([...map.entries()]).toEqual([[7, 'v7'], [8, 'v8'], [9, 'v9']]);
    map.set(8, 'again');
    expect(map.size).toBe(3);
    expect(map.get(8)).toBe('again');
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});

describe('SourceTable', () => {
  it('tallies per source up to its capacity and counts the distinct sources past it', () => {
    const t = new SourceTable(2);
    t.request('a', 1000, 'sipvicious', true);
    t.request('a', 3000, 'nmap', false);
    t.request('b', 2000, null, true);
    t.request('c', 2000, null, true);
    t.request('c', 2500, null, true);
    t.request('d', 2000, null, true);
    t.rang('a');
    expect(t.otherSources).toBe(2);
    expect(t.top(10)).toEqual([
      { source: 'a', ghostCalls: 1, requests: 2, rang: 1, answered: 0, families: ['sipvicious', 'nmap'], first: new Date(1000).toISOString(), last: new Date(3000).toISOString() },
      { source: 'b', ghostCalls: 1, requests: 1, rang: 0, answered: 0, families: [], first: new Date(2000).toISOString(), last: new Date(2000).toISOString() },
    ]);
  });
});

describe('Timeline', () => {
  it('keeps a fixed number of buckets whatever the span, and loses no message', () => {
    const t = new Timeline();
    const start = Date.UTC(2026, 0, 1);
    let ghosts = 0;
    for (let i = 0; i < 10_000; i++) {
      const ghost = i % 7 === 0;
      if (ghost) ghosts++;
      t.add(start + i * 37_000, ghost); // about 4 days
    }
    const { bucketMs, buckets } = t.result();
    expect(buckets.length).toBeLessThanOrEqual(TIMELINE_BUCKETS);
    expect(buckets.reduce((n, b) => n + b.messages, 0)).toBe(10_000);
    expect(buckets.reduce((n, b) => n + b.ghostCalls, 0)).toBe(ghosts);
    expect(bucketMs * buckets.length).toBeGreaterThanOrEqual(9_999 * 37_000);
    expect(buckets[0]!.start).toBeLessThanOrEqual(start);
  });

  it('counts a message earlier than the first in the first bucket, and ignores a time that is not a number', () => {
    const t = new Timeline();
    t.add(5_000, false);
    t.add(1_000, true);
    t.add(Number.NaN, true);
    const { buckets } = t.result();
    expect(buckets).toEqual([{ start: 5_000, messages: 2, ghostCalls: 1 }]);
  });
});
