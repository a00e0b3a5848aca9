/**
 * Dial strings in Request-URI users: is this a number dialled abroad, and to which country code?
 *
 * Toll-fraud dialers try international numbers through any phone or PBX that answers, in the forms
 * people dial them: the ITU prefix `00` (most of the world), `011` (North America), `0011` (Australia),
 * often behind an outside-line digit (`9` or `0`: `9011…`, `900…`, `000…`), or in E.164 form (`+972…`).
 *
 * A `+` number alone is not a dial string: providers address calls in E.164 too (`+81312345678`), so the
 * `+` form only counts through `countryCodeOf` (a list of destinations). Domestic numbers never start
 * with `00` in the numbering plans this guard meets (Japan: `03…`, `050…`, `090…`, `0120…`).
 */

const PREFIXES = ['0011', '011', '00'] as const;
/** Digits after the international prefix: a country code and a subscriber number (E.164: at most 15). */
const MIN_REST = 8;
const MAX_REST = 15;

function allDigits(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function plausibleRest(rest: string): boolean {
  return rest.length >= MIN_REST && rest.length <= MAX_REST && rest.charCodeAt(0) !== 0x30;
}

/**
 * The international number (country code onward) of every reading of `user` as a dialled
 * international call; empty when it is none. Several readings exist when prefixes overlap
 * (`0011972…` is `0011`+`972…` or `00`+`11972…`).
 */
export function internationalReadings(user: string | null): string[] {
  if (user === null || user.length > 24 || !allDigits(user, 0)) return [];
  const out: string[] = [];
  for (const skip of [0, 1]) {
    if (skip === 1 && user[0] !== '9' && user[0] !== '0') continue;
    for (const prefix of PREFIXES) {
      if (!user.startsWith(prefix, skip)) continue;
      const rest = user.slice(skip + prefix.length);
      if (plausibleRest(rest) && !out.includes(rest)) out.push(rest);
    }
  }
  return out;
}

/** Whether `user` is dialled as an international call (not the `+` form: see the file comment). */
export function isInternationalDialString(user: string | null): boolean {
  return internationalReadings(user).length > 0;
}

/** Whether the number (dialled internationally, or `+` E.164) starts with one of `codes`. */
export function hasCountryCode(user: string | null, codes: readonly string[]): boolean {
  if (user === null) return false;
  const readings = user.startsWith('+') ? (allDigits(user, 1) && plausibleRest(user.slice(1)) ? [user.slice(1)] : []) : internationalReadings(user);
  return readings.some((number) => codes.some((code) => number.startsWith(code)));
}
