/**
 * The lab's pace. The defaults make the demo lively but light: a provider call every ~8 s, each
 * scanner family every several seconds to a minute (a few messages per second on average, plus one
 * bounded INVITE flood a minute), and every family heard from within the first ten seconds.
 * `speed` divides every interval (tests run the same story five times faster).
 */
export interface LabTiming {
  /** After the phone's first registration, the first provider call. */
  readonly firstCallMs: number;
  /** Mean gap between the starts of two provider calls (±20 %). */
  readonly callEveryMs: number;
  /** How long the phone rings before it is answered. */
  readonly answerAfterMs: number;
  /** How long the caller waits before giving up on a call it will cancel (less than answerAfterMs). */
  readonly cancelAfterMs: number;
  /** How long the caller talks before hanging up (on calls the phone ends, the phone hangs up at 1.5×). */
  readonly talkMs: number;
  /** A call with no final answer by then is given up (the guard's own Timer B is 32 s). */
  readonly callTimeoutMs: number;
  /** Expiry the phone asks for, in seconds; it refreshes at half of what it was granted. */
  readonly registerExpiresS: number;
  /** Before retrying a failed registration. */
  readonly registerRetryMs: number;
  /** Scanner schedule: every family's first burst and gaps are multiplied by this. */
  readonly scannerScale: number;
  /** INVITEs in one flood burst (bounded: at most 1000). */
  readonly floodSize: number;
}

export const DEFAULT_TIMING: LabTiming = Object.freeze({
  firstCallMs: 1_000,
  callEveryMs: 8_000,
  answerAfterMs: 2_000,
  cancelAfterMs: 1_200,
  talkMs: 3_000,
  callTimeoutMs: 20_000,
  registerExpiresS: 120,
  registerRetryMs: 5_000,
  scannerScale: 1,
  floodSize: 300,
});

const MAX_FLOOD = 1000;

/** The defaults, overridden, with every interval divided by `speed` (> 0; 1 = real pace). */
export function labTiming(overrides: Partial<LabTiming> = {}, speed = 1): LabTiming {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`lab speed must be a positive number, got ${speed}`);
  const t = { ...DEFAULT_TIMING, ...overrides };
  const ms = (v: number): number => Math.max(1, Math.round(v / speed));
  return {
    firstCallMs: ms(t.firstCallMs),
    callEveryMs: ms(t.callEveryMs),
    answerAfterMs: ms(t.answerAfterMs),
    cancelAfterMs: ms(Math.min(t.cancelAfterMs, t.answerAfterMs * 0.75)),
    talkMs: ms(t.talkMs),
    callTimeoutMs: ms(t.callTimeoutMs),
    registerExpiresS: Math.max(1, Math.round(t.registerExpiresS)),
    registerRetryMs: ms(t.registerRetryMs),
    scannerScale: t.scannerScale / speed,
    floodSize: Math.max(1, Math.min(MAX_FLOOD, Math.round(t.floodSize))),
  };
}
