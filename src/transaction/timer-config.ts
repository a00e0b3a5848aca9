/**
 * RFC 3261 §17.1.1.1 and Table 4 (appendix A): the timer values of the transaction layer.
 *
 *   T1  500 ms default  "RTT Estimate"
 *   T2  4 s             "The maximum retransmit interval for non-INVITE requests and INVITE responses"
 *   T4  5 s             "Maximum duration a message will remain in the network"
 *   Timer D             "> 32 s for UDP; 0 s for TCP/SCTP" — "Wait time for response retransmits"
 *
 * Every other timer derives from these: A, E, G start at T1; B, F, H, J (unreliable), L, M are
 * 64*T1; I and K are T4 on unreliable transports; D, I, J, K are zero on reliable ones.
 *
 * Two limits are not RFC timers but resource bounds of a guard that faces the internet: a
 * transaction whose TU never answers must not hold a table slot forever.
 */

export interface TimerConfig {
  /** RTT estimate; Timers A, E, G start at T1. */
  readonly t1: number;
  /** Cap of the retransmission interval of non-INVITE requests (E) and INVITE responses (G). */
  readonly t2: number;
  /** How long a message stays in the network; Timers I and K on unreliable transports. */
  readonly t4: number;
  /** §17.1.1.2: "Timer D ... at least 32 seconds for unreliable transports". */
  readonly timerD: number;
  /**
   * Resource bound: an INVITE server transaction still in Proceeding after this long (the TU never
   * sent a final response), or an INVITE client transaction that never got a final response after a
   * provisional one, terminates and reports a timeout. Default 6 minutes, twice the 3-minute Timer C
   * of a proxy (§16.6 step 11), so a proxy's own Timer C always fires first.
   */
  readonly inviteProceedingLimit: number;
  /**
   * Resource bound: a non-INVITE server transaction without a final response after this long
   * terminates and reports a timeout. Default 128*T1: the client gave up at 64*T1 (Timer F).
   */
  readonly nonInviteServerLimit: number;
}

export const DEFAULT_T1 = 500;
export const DEFAULT_T2 = 4_000;
export const DEFAULT_T4 = 5_000;
export const MIN_TIMER_D = 32_000;
export const DEFAULT_INVITE_PROCEEDING_LIMIT = 360_000;

/**
 * Fills in defaults and checks the values once, at start (STYLE: validate configuration once). A
 * bad value is a programming or configuration error, not attacker input, so it throws a RangeError.
 */
export function resolveTimerConfig(partial: Partial<TimerConfig> = {}): TimerConfig {
  const t1 = positive('t1', partial.t1 ?? DEFAULT_T1);
  const t2 = positive('t2', partial.t2 ?? DEFAULT_T2);
  const t4 = positive('t4', partial.t4 ?? DEFAULT_T4);
  if (t2 < t1) throw new RangeError(`timers.t2 (${t2} ms) must not be smaller than t1 (${t1} ms)`);
  const timerD = positive('timerD', partial.timerD ?? Math.max(MIN_TIMER_D, 64 * t1));
  const inviteProceedingLimit = positive(
    'inviteProceedingLimit',
    partial.inviteProceedingLimit ?? DEFAULT_INVITE_PROCEEDING_LIMIT,
  );
  const nonInviteServerLimit = positive('nonInviteServerLimit', partial.nonInviteServerLimit ?? 128 * t1);
  return { t1, t2, t4, timerD, inviteProceedingLimit, nonInviteServerLimit };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`timers.${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

/** Timers B, F, H, L, M: "64*T1". */
export function sixtyFourT1(config: TimerConfig): number {
  return 64 * config.t1;
}
