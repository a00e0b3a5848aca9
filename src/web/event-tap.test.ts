import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { systemClock } from '../util/clock.js';
import type { GuardEvent } from '../store/guard-event.js';
import { scannerEvent } from '../store/test-kit.js';
import { tapEvents } from './event-tap.js';

const T0 = 1_700_000_000_000;

const event = scannerEvent;

describe('tapEvents', () => {
  it('tells recorded events to subscribers and counted ones (bump) to count subscribers, with their row family', () => {
    const store = openStore(':memory:', { clock: systemClock, events: { flushIntervalMs: 0 } });
    const tap = tapEvents(store);
    const recorded: GuardEvent[] = [];
    const counted: Array<[number, string | null]> = [];
    tap.subscribe((e) => recorded.push(e));
    tap.subscribeCounted((time, family) => counted.push([time, family]));
    const events = tap.store.events;
    expect(events.bump?.(T0, '198.51.100.66', 'not-from-provider')).toBeUndefined();
    events.record(event(T0, '198.51.100.66'));
    expect(events.bump?.(T0 + 5, '198.51.100.66', 'not-from-provider')).toEqual(expect.objectContaining({ family: 'sipvicious' }));
    expect(events.bump?.(T0 + 6, '198.51.100.67', 'not-from-provider')).toBeUndefined();
    expect(recorded).toHaveLength(1);
    expect(counted).toEqual([[T0 + 5, 'sipvicious']]);
    expect(events.count()).toEqual({ rows: 1, events: 2 });
    store.close();
  });

  it('tells events counted without names (countUnnamed) to count subscribers, with no family, and stores them in the overflow row', () => {
    const store = openStore(':memory:', { clock: systemClock, events: { flushIntervalMs: 0 } });
    const tap = tapEvents(store);
    const counted: Array<[number, string | null]> = [];
    tap.subscribeCounted((time, family) => counted.push([time, family]));
    tap.store.events.countUnnamed?.(T0, 3, () => event(T0, '*'));
    expect(counted).toEqual([
      [T0, null],
      [T0, null],
      [T0, null],
    ]);
    expect(tap.store.events.count()).toEqual({ rows: 1, events: 3 });
    expect(tap.store.events.query().events[0]).toMatchObject({ reasons: ['overflow'], count: 3 });
    store.close();
  });

  it('drops a count subscriber that throws and goes on counting', () => {
    const store = openStore(':memory:', { clock: systemClock, events: { flushIntervalMs: 0 } });
    const errors: unknown[] = [];
    const tap = tapEvents(store, (e) => errors.push(e));
    let calls = 0;
    tap.subscribeCounted(() => {
      calls++;
      throw new Error('broken');
    });
    tap.store.events.record(event(T0, '198.51.100.66'));
    for (let i = 0; i < 3; i++) tap.store.events.bump?.(T0 + i, '198.51.100.66', 'not-from-provider');
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    expect(tap.store.events.count().events).toBe(4);
    store.close();
  });

  it('has no bump over a store without one (every event is then recorded in full)', () => {
    const store = openStore(':memory:', { clock: systemClock, events: { flushIntervalMs: 0 } });
    const plain = { ...store, events: { ...store.events, record: store.events.record.bind(store.events), bump: undefined } };
    expect(tapEvents(plain).store.events.bump).toBeUndefined();
    store.close();
  });
});
