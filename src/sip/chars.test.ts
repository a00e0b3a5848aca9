import { describe, expect, it } from 'vitest';
import {
  ALPHA,
  CLASS,
  DIGIT,
  HEX,
  HNV,
  HOSTCHAR,
  LWS,
  PARAMCHAR,
  PASSWORD,
  SCHEME,
  TOKEN,
  UNRESERVED,
  URIC,
  USER,
  equalsLower,
  hexValue,
  skipLws,
  trimLwsFrom,
} from './chars.js';

/** Every byte 0..255 whose class has `flag`, as a string. */
function members(flag: number): string {
  let out = '';
  for (let c = 0; c < 256; c++) if ((CLASS[c]! & flag) !== 0) out += String.fromCharCode(c);
  return out;
}

const sorted = (s: string) => [...s].sort().join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MARK = "-_.!~*'()";

describe('character classes (RFC 3261 §25.1)', () => {
  it.each([
    ['ALPHA', ALPHA, ALNUM.slice(0, 52)],
    ['DIGIT', DIGIT, '0123456789'],
    ['HEX', HEX, '0123456789ABCDEFabcdef'],
    ['token', TOKEN, ALNUM + "-.!%*_+`'~"],
    ['unreserved = alphanum / mark', UNRESERVED, ALNUM + MARK],
    ['user chars = unreserved / user-unreserved', USER, ALNUM + MARK + '&=+$,;?/'],
    ['password chars', PASSWORD, ALNUM + MARK + '&=+$,'],
    ['paramchar = param-unreserved / unreserved', PARAMCHAR, ALNUM + MARK + '[]/:&+$'],
    ['hname/hvalue chars = hnv-unreserved / unreserved', HNV, ALNUM + MARK + '[]/?:+$'],
    ['uric = reserved / unreserved (with RFC 2732 "[" "]")', URIC, ALNUM + MARK + ';/?:@&=+$,[]'],
    ['LWS characters', LWS, ' \t\r\n'],
    ['scheme chars', SCHEME, ALNUM + '+-.'],
    ['host chars', HOSTCHAR, ALNUM + '-._'],
  ])('%s is exactly the RFC set', (_name, flag, expected) => {
    expect(sorted(members(flag))).toBe(sorted(expected));
  });

  it('puts no byte at or above 0x80, and no character above 0xFF, in any class', () => {
    for (let c = 0x80; c < 256; c++) expect(CLASS[c]).toBe(0);
    expect((CLASS[0x3042]! & TOKEN) !== 0).toBe(false);
  });
});

describe('helpers', () => {
  it('hexValue', () => {
    expect([hexValue(48), hexValue(57), hexValue(65), hexValue(102), hexValue(71), hexValue(47)]).toEqual([0, 9, 10, 15, -1, -1]);
  });
  it('equalsLower folds ASCII letters only', () => {
    expect(equalsLower('xBrAnChx', 1, 7, 'branch')).toBe(true);
    expect(equalsLower('branc', 0, 5, 'branch')).toBe(false);
    expect(equalsLower('\x01', 0, 1, '!')).toBe(false); // 0x01 | 0x20 is '!', but it is no letter
    expect(equalsLower('[', 0, 1, '{')).toBe(false);
  });
  it('skipLws and trimLwsFrom', () => {
    expect(skipLws(' \t\r\n x', 0, 6)).toBe(5);
    expect(skipLws('  x', 0, 1)).toBe(1);
    const s = 'abc';
    expect(trimLwsFrom(s, 0)).toBe(s);
    expect(trimLwsFrom('  a b \r\n', 2)).toBe('a b');
  });
});
