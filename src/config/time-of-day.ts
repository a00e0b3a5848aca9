/**
 * Local times of day ("08:00") and IANA time zone names, as the config writes them (alerts: digest,
 * quiet hours).
 */

export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

export function parseTimeOfDay(text: string): TimeOfDay | string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (m === null) return `expected a time of day like "08:00"; found "${text.slice(0, 20)}"`;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return `"${text}" is not a time of day (00:00..23:59)`;
  return { hour, minute };
}

export function formatTimeOfDay(t: TimeOfDay): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
