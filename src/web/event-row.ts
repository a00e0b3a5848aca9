/** An event as the API shows it: flat, JSON-safe, without the raw bytes (those: `/api/events/{id}/raw`). */
import type { GuardEvent, Leg, StoredEvent } from '../store/guard-event.js';

export interface ApiEvent {
  /** Absent for a live event not yet written to the store. */
  readonly id?: number;
  readonly time: number;
  readonly lastTime: number;
  readonly count: number;
  readonly leg: Leg;
  /** `address:port` of the sender (`[v6]:port` for IPv6). */
  readonly source: string;
  readonly transport: string;
  readonly method: string | null;
  readonly requestUri: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly userAgent: string | null;
  readonly callId: string | null;
  readonly reasons: readonly string[];
  readonly family: string | null;
  readonly explanation: { readonly en: string; readonly ja: string };
  readonly overflow: boolean;
  /** Whether the store kept the message bytes. */
  readonly hasRaw: boolean;
}

export function apiEvent(e: StoredEvent | GuardEvent): ApiEvent {
  const stored = 'id' in e ? (e as StoredEvent) : null;
  const address = e.flow.remoteAddress;
  return {
    ...(stored !== null ? { id: stored.id } : {}),
    time: e.time,
    lastTime: stored?.lastTime ?? e.time,
    count: stored?.count ?? 1,
    leg: e.leg,
    source: `${address.includes(':') ? `[${address}]` : address}:${e.flow.remotePort}`,
    transport: e.flow.transport,
    method: e.method,
    requestUri: e.requestUri,
    from: e.from,
    to: e.to,
    userAgent: e.userAgent,
    callId: e.callId,
    reasons: [...e.reasons],
    family: e.family,
    explanation: { en: e.explanation.en, ja: e.explanation.ja },
    overflow: stored?.overflow ?? false,
    hasRaw: e.raw !== undefined && e.raw.length > 0,
  };
}
