import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('fires timers in due order, including timers set while firing', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@500'), 500);
    clock.setTimeout(() => {
      fired.push('a@100');
      clock.setTimeout(() => fired.push('c@300'), 200);
    }, 100);
    clock.advance(400);
    expect(fired).toEqual(['a@100', 'c@300']);
    expect(clock.now()).toBe(400);
    clock.advance(100);
    expect(fired).toEqual(['a@100', 'c@300', 'b@500']);
  });

  it('does not fire a cancelled timer', () => {
    const clock = new ManualClock(0);
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 10);
    handle.cancel();
    clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.waiting).toBe(0);
  });
});
