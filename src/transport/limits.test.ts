import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';

describe('resolveLimits', () => {
  it('has the documented defaults', () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS.maxMessageSize).toBe(65_535);
  });

  it('overlays overrides and ignores undefined ones', () => {
    const limits = resolveLimits({ idleTimeoutMs: 200, maxMessageSize: undefined });
    expect(limits.idleTimeoutMs).toBe(200);
    expect(limits.maxMessageSize).toBe(65_535);
  });

  it('refuses values that are not positive integers', () => {
    expect(() => resolveLimits({ maxConnections: 0 })).toThrow(RangeError);
    expect(() => resolveLimits({ messageTimeoutMs: 1.5 })).toThrow(/messageTimeoutMs/);
    expect(() => resolveLimits({ maxMessageSize: Number.NaN })).toThrow(RangeError);
  });
});
