/** An `events` row as SQLite returns it, and its mapping to a {@link StoredEvent}. */
import type { Leg, StoredEvent } from '../guard-event.js';

export interface EventRow {
  id: number;
  time: number;
  last_time: number;
  window_start: number;
  count: number;
  overflow: number;
  leg: string;
  transport: string;
  local_address: string;
  local_port: number;
  remote_address: string;
  remote_port: number;
  method: string | null;
  request_uri: string | null;
  from_header: string | null;
  to_header: string | null;
  user_agent: string | null;
  call_id: string | null;
  reason: string;
  /** Reason codes separated by single spaces, with a space before and after (so that `instr` matches whole codes). */
  reasons: string;
  family: string | null;
  explanation_en: string;
  explanation_ja: string;
  raw: Buffer | null;
}

export function eventFromRow(row: EventRow): StoredEvent {
  const event: StoredEvent = {
    id: row.id,
    time: row.time,
    lastTime: row.last_time,
    count: row.count,
    overflow: row.overflow !== 0,
    flow: {
      transport: row.transport,
      localAddress: row.local_address,
      localPort: row.local_port,
      remoteAddress: row.remote_address,
      remotePort: row.remote_port,
    },
    leg: row.leg as Leg,
    method: row.method,
    requestUri: row.request_uri,
    from: row.from_header,
    to: row.to_header,
    userAgent: row.user_agent,
    callId: row.call_id,
    reasons: row.reasons.split(' ').filter((r) => r.length > 0),
    family: row.family,
    explanation: { en: row.explanation_en, ja: row.explanation_ja },
  };
  return row.raw === null ? event : { ...event, raw: row.raw };
}
