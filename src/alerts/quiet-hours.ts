/**
 * Quiet hours: a local time window (e.g. 23:00–07:00, possibly across midnight) in which non-urgent
 * alerts are held. `from` is inside the window, `to` is not.
 */
import { localMinutes, nextLocalTime, type TimeOfDay } from './local-time.js';

export interface QuietHours {
  readonly from: TimeOfDay;
  readonly to: TimeOfDay;
  readonly timeZone: string;
}

const minutes = (t: TimeOfDay): number => t.hour * 60 + t.minute;

export function isQuiet(q: QuietHours, at: number): boolean {
  const now = localMinutes(at, q.timeZone);
  const from = minutes(q.from);
  const to = minutes(q.to);
  if (from === to) return false;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** When the quiet hours that include `at` end (the next local `to`). */
export function quietEnd(q: QuietHours, at: number): number {
  return nextLocalTime(at, q.to, q.timeZone);
}
