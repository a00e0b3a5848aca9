import { describe, expect, it } from 'vitest';
import { IsoTimes } from './iso-times.js';

describe('IsoTimes', () => {
  it('gives what Date.toISOString gives, for times in and out of order and with fractions', () => {
    const iso = new IsoTimes();
    const base = Date.UTC(2026, 10, 27, 23, 59, 59);
    for (const ms of [base, base + 0.4, base + 7, base + 99.9, base + 999.999, base + 1000, base - 1, 0, -1, 1e12 + 5, 8.64e15, -8.64e15 + 123]) {
      expect(iso.format(ms), String(ms)).toBe(new Date(Math.floor(ms)).toISOString());
    }
    expect(iso.format(Number.NaN)).toBe('invalid');
    expect(iso.format(9e15)).toBe('invalid');
  });
});
