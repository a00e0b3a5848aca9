import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../util/clock.js';
import { LearnedAddresses } from './learned-addresses.js';

describe('LearnedAddresses', () => {
  it('expires an address that stops answering, and renews one that keeps answering', () => {
    const clock = new ManualClock();
    const learned = new LearnedAddresses(clock, { ttlSeconds: 60 });
    expect(learned.learn('198.51.100.7', 'answered REGISTER')).toBe(true);
    expect(learned.learn('198.51.100.8', 'answered REGISTER')).toBe(true);
    clock.advance(50_000);
    expect(learned.learn('198.51.100.7', 'answered REGISTER')).toBe(false);
    clock.advance(20_000);
    expect(learned.has('198.51.100.7')).toBe(true);
    expect(learned.has('198.51.100.8')).toBe(false);
    expect(learned.list().map((e) => e.address)).toEqual(['198.51.100.7']);
    expect(learned.list()[0]!.since).toBe(clock.now() - 70_000);
    clock.advance(40_000);
    expect(learned.has('198.51.100.7')).toBe(false);
    expect(learned.size).toBe(0);
  });

  it('is bounded: a new address forgets the one confirmed longest ago', () => {
    const clock = new ManualClock();
    const learned = new LearnedAddresses(clock, { ttlSeconds: 3600, max: 3 });
    for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      learned.learn(a, 'r');
      clock.advance(1000);
    }
    learned.learn('192.0.2.1', 'r'); // renewed: now the freshest
    learned.learn('192.0.2.4', 'r');
    expect(learned.size).toBe(3);
    expect(learned.has('192.0.2.2')).toBe(false);
    expect(learned.list().map((e) => e.address)).toEqual(['192.0.2.3', '192.0.2.1', '192.0.2.4']);
    for (let i = 0; i < 1000; i++) learned.learn(`10.0.${i >> 8}.${i & 255}`, 'flood');
    expect(learned.size).toBe(3);
  });
});
