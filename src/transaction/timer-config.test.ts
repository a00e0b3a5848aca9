import { describe, expect, it } from 'vitest';
import { resolveTimerConfig, sixtyFourT1 } from './timer-config.js';

describe('timer values (RFC 3261 §17.1.1.1, Table 4)', () => {
  it('defaults: T1 500 ms, T2 4 s, T4 5 s, Timer D 32 s, 64*T1 = 32 s', () => {
    const config = resolveTimerConfig();
    expect(config).toEqual({ t1: 500, t2: 4_000, t4: 5_000, timerD: 32_000, inviteProceedingLimit: 360_000, nonInviteServerLimit: 64_000 });
    expect(sixtyFourT1(config)).toBe(32_000);
  });

  it('derives Timer D (at least 32 s) and the bounds from a configured T1', () => {
    expect(resolveTimerConfig({ t1: 1_000 })).toMatchObject({ timerD: 64_000, nonInviteServerLimit: 128_000 });
    expect(resolveTimerConfig({ t1: 100 })).toMatchObject({ timerD: 32_000 });
  });

  it('refuses values that cannot work, at start', () => {
    expect(() => resolveTimerConfig({ t1: 0 })).toThrow(RangeError);
    expect(() => resolveTimerConfig({ t4: Number.NaN })).toThrow(/t4/);
    expect(() => resolveTimerConfig({ t1: 5_000, t2: 4_000 })).toThrow(/t2/);
  });
});
