import { describe, expect, it } from 'vitest';
import { isTimeZone, parseTimeOfDay } from '../config/time-of-day.js';
import { localMinutes, nextLocalTime } from './local-time.js';
import { isQuiet, quietEnd } from './quiet-hours.js';

const utc = (s: string): number => Date.parse(`${s}Z`);

describe('local time in a named zone', () => {
  it('reads the local minutes of an instant in Tokyo (UTC+9)', () => {
    expect(localMinutes(utc('2026-11-27T23:30:00'), 'Asia/Tokyo')).toBe(8 * 60 + 30);
  });

  it('finds the next 08:00 in Tokyo, today or tomorrow', () => {
    expect(nextLocalTime(utc('2026-11-27T22:00:00'), { hour: 8, minute: 0 }, 'Asia/Tokyo')).toBe(utc('2026-11-27T23:00:00'));
    expect(nextLocalTime(utc('2026-11-27T23:00:00'), { hour: 8, minute: 0 }, 'Asia/Tokyo')).toBe(utc('2026-11-28T23:00:00'));
  });

  it('keeps 08:00 local across a daylight-saving change (Europe/Berlin, 2026-03-29)', () => {
    const before = nextLocalTime(utc('2026-03-28T08:00:00'), { hour: 8, minute: 0 }, 'Europe/Berlin');
    expect(before).toBe(utc('2026-03-29T06:00:00'));
    expect(nextLocalTime(utc('2026-03-27T08:00:00'), { hour: 8, minute: 0 }, 'Europe/Berlin')).toBe(utc('2026-03-28T07:00:00'));
  });

  it('moves a local time skipped by spring-forward to just after the gap', () => {
    const at = nextLocalTime(utc('2026-03-28T12:00:00'), { hour: 2, minute: 30 }, 'Europe/Berlin');
    expect(at).toBe(utc('2026-03-29T01:30:00'));
    expect(localMinutes(at, 'Europe/Berlin')).toBe(3 * 60 + 30);
  });

  it('parses times of day and refuses others', () => {
    expect(parseTimeOfDay('8:05')).toEqual({ hour: 8, minute: 5 });
    expect(parseTimeOfDay('24:00')).toMatch(/not a time of day/);
    expect(parseTimeOfDay('noon')).toMatch(/like "08:00"/);
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('quiet hours', () => {
  const q = { from: { hour: 23, minute: 0 }, to: { hour: 7, minute: 0 }, timeZone: 'Asia/Tokyo' };

  it('spans midnight: 23:00 and 03:00 are quiet, 07:00 and 22:59 are not', () => {
    expect(isQuiet(q, utc('2026-11-27T14:00:00'))).toBe(true); // 23:00 JST
    expect(isQuiet(q, utc('2026-11-27T18:00:00'))).toBe(true); // 03:00 JST
    expect(isQuiet(q, utc('2026-11-27T22:00:00'))).toBe(false); // 07:00 JST
    expect(isQuiet(q, utc('2026-11-27T13:59:00'))).toBe(false); // 22:59 JST
  });

  it('ends at the next local 07:00', () => {
    expect(quietEnd(q, utc('2026-11-27T14:30:00'))).toBe(utc('2026-11-27T22:00:00'));
  });

  it('works within one day too (12:00-13:00), and an empty window is never quiet', () => {
    const lunch = { from: { hour: 12, minute: 0 }, to: { hour: 13, minute: 0 }, timeZone: 'UTC' };
    expect(isQuiet(lunch, utc('2026-11-27T12:30:00'))).toBe(true);
    expect(isQuiet(lunch, utc('2026-11-27T13:00:00'))).toBe(false);
    expect(isQuiet({ ...lunch, to: lunch.from }, utc('2026-11-27T12:00:00'))).toBe(false);
  });
});
