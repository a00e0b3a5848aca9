/**
 * Wall-clock time in a named time zone (IANA, e.g. "Asia/Tokyo") through Intl, without a library:
 * the local hour and minute of an instant, and the next instant at which a given local time occurs
 * (for the digest and the end of quiet hours). Daylight-saving gaps are handled: a local time that
 * does not exist that day (skipped by a spring-forward) is shifted forward by the gap (02:30 → 03:30).
 */
import type { TimeOfDay } from '../config/time-of-day.js';

export type { TimeOfDay };

const DAY_MS = 86_400_000;
function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
  });
}

/** The zone of this machine (what "local" means when no zone is configured). */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export function localParts(at: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']! % 24,
    minute: parts['minute']!,
    second: parts['second']!,
  };
}

/** Minutes since local midnight. */
export function localMinutes(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  return p.hour * 60 + p.minute;
}

/** The zone's offset from UTC at `at`, in ms (Tokyo: +9 h). */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of local `y-m-d hh:mm` (the first instant at or after it when a DST gap skips it). */
function instantOf(y: number, m: number, d: number, t: TimeOfDay, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d, t.hour, t.minute);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (second === first) return first;
  // In a gap the two guesses differ: the later offset gives an instant whose local time is past `t`.
  return Math.max(first, second);
}

/** The first instant strictly after `after` whose local time in `timeZone` is `t`. */
export function nextLocalTime(after: number, t: TimeOfDay, timeZone: string): number {
  const p = localParts(after, timeZone);
  for (let day = 0; day < 3; day++) {
    const date = new Date(Date.UTC(p.year, p.month - 1, p.day + day));
    const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), t, timeZone);
    if (at > after) return at;
  }
  return after + DAY_MS;
}
