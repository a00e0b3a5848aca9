/**
 * A request the guard dropped or refused, as the policy reports it and the store keeps it.
 */
import type { FlowRecord } from './flow-record.js';

export type Leg = 'wan' | 'lan';

export interface GuardEvent {
  /** When it arrived, ms since the epoch. */
  readonly time: number;
  readonly flow: FlowRecord;
  readonly leg: Leg;
  readonly method: string | null;
  readonly requestUri: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly userAgent: string | null;
  readonly callId: string | null;
  /**
   * Stable reason codes, most important first, e.g. 'not-from-provider', 'unknown-alias', 'malformed',
   * 'banned', 'flood'. The first one is the primary reason: floods are aggregated by it.
   */
  readonly reasons: readonly string[];
  /** Scanner family when a fingerprint matched (e.g. 'sipvicious'), else null. */
  readonly family: string | null;
  readonly explanation: { readonly en: string; readonly ja: string };
  /** The message bytes; the store keeps at most its configured cap (4 KiB by default). */
  readonly raw?: Buffer;
}

/**
 * An event row: the first event of its (source, primary reason, window), with how many arrived in that
 * window. An overflow row counts the events of a window that had more sources than the store keeps
 * rows for; its source address is "*".
 */
export interface StoredEvent extends GuardEvent {
  readonly id: number;
  /** Events this row stands for (1 for a lone event). */
  readonly count: number;
  /** Arrival of the latest of them. */
  readonly lastTime: number;
  readonly overflow: boolean;
}

/** The reason code of overflow rows. */
export const OVERFLOW_REASON = 'overflow';
