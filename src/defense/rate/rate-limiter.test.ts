import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../util/clock.js';
import { RATE_FLOODING, RATE_LIMITED, RATE_OK, RateLimiter, type RateHit } from './rate-limiter.js';

const options = { requestsPerSecond: 10, burst: 20, maxSources: 1024, floodMs: 5_000 };

/** Sends `count` requests from `address`, `gapMs` apart; tallies the answers. */
function send(limiter: RateLimiter, clock: ManualClock, address: string, count: number, gapMs: number): Record<RateHit, number> {
  const tally: Record<RateHit, number> = { [RATE_OK]: 0, [RATE_LIMITED]: 0, [RATE_FLOODING]: 0 };
  for (let i = 0; i < count; i++) {
    tally[limiter.hit(address, clock.now())]++;
    clock.advance(gapMs);
  }
  return tally;
}

describe('RateLimiter: token bucket per source', () => {
  it('lets a burst through, then limits a source that keeps sending faster than the rate', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(options);
    const first = send(limiter, clock, '198.51.100.9', 20, 0);
    expect(first[RATE_OK]).toBe(20);
    expect(limiter.hit('198.51.100.9', clock.now())).toBe(RATE_LIMITED);
    expect(limiter.isLimited('198.51.100.9')).toBe(true);
    // Another source is not affected.
    expect(limiter.hit('198.51.100.10', clock.now())).toBe(RATE_OK);
  });

  it('never limits a source that stays under the rate (a phone, a provider)', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(options);
    const tally = send(limiter, clock, '203.0.113.10', 10_000, 110); // ~9 per second, for 18 minutes
    expect(tally[RATE_OK]).toBe(10_000);
  });

  it('refuses a flood as a whole (not a trickle at the rate), and reports it once per flood period', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(options);
    // 50 per second for 12 s: the burst passes (20, plus the 0.2 token refilled per request while it
    // drains: 24 in all); every later request is refused; flooding is reported after 5 s and 10 s.
    const tally = send(limiter, clock, '198.51.100.66', 600, 20);
    expect(tally[RATE_OK]).toBe(24);
    expect(tally[RATE_FLOODING]).toBe(2);
    expect(tally[RATE_LIMITED]).toBe(600 - 24 - 2);
  });

  it('lifts the limit once the source slows down and its bucket refills to half', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(options);
    send(limiter, clock, '198.51.100.66', 100, 10);
    expect(limiter.isLimited('198.51.100.66')).toBe(true);
    clock.advance(900); // 9 tokens: not yet half of 20
    expect(limiter.hit('198.51.100.66', clock.now())).toBe(RATE_LIMITED);
    clock.advance(1_200); // 8 + 12 → 20
    expect(limiter.hit('198.51.100.66', clock.now())).toBe(RATE_OK);
    expect(limiter.isLimited('198.51.100.66')).toBe(false);
  });
});
