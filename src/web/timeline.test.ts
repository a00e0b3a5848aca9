import { describe, expect, it } from 'vitest';
import { MINUTE_MS, Timeline } from './timeline.js';

const T0 = 1_700_000_040_000 - (1_700_000_040_000 % MINUTE_MS);

describe('Timeline: per-minute buckets in a bounded ring', () => {
  it('counts delivered and blocked (by family) into the minute they happened; empty minutes are zeros', () => {
    const t = new Timeline();
    t.blocked(T0 + 1000, 'sipvicious');
    t.blocked(T0 + 2000, 'sipvicious');
    t.blocked(T0 + 3000, null);
    t.delivered(T0 + 2 * MINUTE_MS + 5, 2);
    const b = t.buckets(3, T0 + 2 * MINUTE_MS + 10);
    expect(b).toEqual([
      { t: T0, delivered: 0, blocked: 3, byFamily: { sipvicious: 2 } },
      { t: T0 + MINUTE_MS, delivered: 0, blocked: 0, byFamily: {} },
      { t: T0 + 2 * MINUTE_MS, delivered: 2, blocked: 0, byFamily: {} },
    ]);
    expect(t.current(T0 + 2 * MINUTE_MS)).toEqual(b[2]);
  });

  it('forgets minutes beyond its size, and caps the families of a bucket', () => {
    const t = new Timeline(3, 2);
    for (let m = 0; m < 10; m++) t.blocked(T0 + m * MINUTE_MS, 'f');
    expect(t.buckets(10, T0 + 9 * MINUTE_MS).map((b) => b.blocked)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    for (const f of ['a', 'b', 'c', 'd']) t.blocked(T0 + 9 * MINUTE_MS, f);
    expect(t.current(T0 + 9 * MINUTE_MS).byFamily).toEqual({ f: 1, a: 1, other: 3 });
  });

  it('puts a late event into its own minute while that is within the ring', () => {
    const t = new Timeline(5);
    t.blocked(T0 + 4 * MINUTE_MS, null);
    t.blocked(T0 + 2 * MINUTE_MS, null);
    t.blocked(T0 - 10 * MINUTE_MS, null); // too old: dropped
    expect(t.buckets(5, T0 + 4 * MINUTE_MS).map((b) => b.blocked)).toEqual([0, 0, 1, 0, 1]);
  });
});
