import { describe, expect, it } from 'vitest';
import { hasCountryCode, internationalReadings, isInternationalDialString } from './dial-string.js';

describe('international dial strings', () => {
  it.each([
    ['00972595123456', 'ITU prefix'],
    ['011972595123456', 'North American prefix'],
    ['0011972595123456', 'Australian prefix'],
    ['9011441234567890', 'outside line 9, then 011'],
    ['900972595123456', 'outside line 9, then 00'],
    ['000972595123456', 'outside line 0, then 00'],
  ])('%s is international (%s)', (user) => {
    expect(isInternationalDialString(user)).toBe(true);
  });

  it.each([
    ['05012345678', 'a Japanese 050 number'],
    ['0312345678', 'a Tokyo number'],
    ['09012345678', 'a Japanese mobile'],
    ['0120123456', 'Japanese freephone'],
    ['08001234567', 'UK freephone'],
    ['8001234567', 'a North American toll-free number without the 1'],
    ['9001234567', 'a premium number behind no prefix'],
    ['+972595123456', 'E.164 alone (providers address calls so)'],
    ['100', 'an extension'],
    ['0097259', 'too short after the prefix'],
    ['0000123456789', 'no country code starts with 0, behind any prefix'],
    ['00972-595123456', 'not only digits'],
    ['alice', 'a name'],
  ])('%s is not (%s)', (user) => {
    expect(isInternationalDialString(user)).toBe(false);
  });

  it('gives every reading when prefixes overlap', () => {
    expect(internationalReadings('0011972595123456')).toEqual(['972595123456', '11972595123456']);
    expect(internationalReadings(null)).toEqual([]);
    expect(internationalReadings('9'.repeat(30))).toEqual([]);
  });

  it('finds country codes in dialled and E.164 forms', () => {
    const codes = ['972', '970'];
    expect(hasCountryCode('00972595123456', codes)).toBe(true);
    expect(hasCountryCode('9011970599123456', codes)).toBe(true);
    expect(hasCountryCode('+972595123456', codes)).toBe(true);
    expect(hasCountryCode('+81312345678', codes)).toBe(false);
    expect(hasCountryCode('0044201234567', codes)).toBe(false);
    expect(hasCountryCode('+97', codes)).toBe(false);
    expect(hasCountryCode(null, codes)).toBe(false);
  });
});
