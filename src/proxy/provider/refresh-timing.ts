/**
 * When a provider lookup runs again. After an answer: at the answer's TTL, held between
 * `minRefreshSeconds` (so a TTL of 0 cannot make us query in a loop) and `maxRefreshSeconds`. After a
 * failure: `retrySeconds`, doubling with each failure in a row up to `maxRetrySeconds`.
 */
export interface RefreshTiming {
  /** Default 30. */
  readonly minRefreshSeconds: number;
  /** Default 3600. */
  readonly maxRefreshSeconds: number;
  /** Default 30. */
  readonly retrySeconds: number;
  /** Default 600. */
  readonly maxRetrySeconds: number;
  /** A whole resolution that takes longer counts as failed. Default 30. */
  readonly timeoutSeconds: number;
}

export const DEFAULT_REFRESH_TIMING: RefreshTiming = Object.freeze({
  minRefreshSeconds: 30,
  maxRefreshSeconds: 3600,
  retrySeconds: 30,
  maxRetrySeconds: 600,
  timeoutSeconds: 30,
});

export function refreshTiming(overrides: Partial<RefreshTiming> = {}): RefreshTiming {
  return { ...DEFAULT_REFRESH_TIMING, ...overrides };
}

/** Milliseconds until the next lookup after an answer with this TTL. */
export function refreshDelayMs(timing: RefreshTiming, ttlSeconds: number): number {
  const seconds = Math.min(timing.maxRefreshSeconds, Math.max(timing.minRefreshSeconds, ttlSeconds));
  return seconds * 1000;
}

/** Milliseconds until the next try after `failures` failures in a row (1 or more). */
export function retryDelayMs(timing: RefreshTiming, failures: number): number {
  const seconds = timing.retrySeconds * 2 ** Math.min(30, Math.max(0, failures - 1));
  return Math.min(timing.maxRetrySeconds, seconds) * 1000;
}
