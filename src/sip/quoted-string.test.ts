import { describe, expect, it } from 'vitest';
import { quote, scanQuotedString, unquote } from './quoted-string.js';

/** Scans the quoted-string at index 0 of `s` and unquotes it. */
function read(s: string): string | { error: number } {
  const end = scanQuotedString(s, 0);
  return end < 0 ? { error: ~end } : unquote(s, 0, end);
}

describe('quoted-string (RFC 3261 §25.1)', () => {
  it('ends at the closing quote', () => {
    expect(scanQuotedString('"abc" rest', 0)).toBe(5);
    expect(scanQuotedString('x"abc"', 1)).toBe(6);
  });
  it('resolves quoted-pairs (RFC 4475 §3.1.1.1 wsinv: "J Rosenberg \\\\\\"")', () => {
    expect(read('"J Rosenberg \\\\\\""')).toBe('J Rosenberg \\"');
    expect(read('"Quoted string \\"\\""')).toBe('Quoted string ""');
  });
  it('allows quoted-pairs of control characters (RFC 4475 §3.1.1.2 intmeth: BEL, NUL, DEL)', () => {
    expect(read('"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f"')).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
  });
  it('keeps UTF8-NONASCII bytes', () => {
    expect(read('"\xd1\x80\xd0\xb0"')).toBe('\xd1\x80\xd0\xb0');
  });
  it('drops the line break of a fold and keeps the white space', () => {
    expect(read('"a\r\n b"')).toBe('a b');
    expect(read('"a\n\tb"')).toBe('a\tb');
  });
  it('refuses an unterminated string at its opening quote (RFC 4475 §3.1.2.6 quotbal)', () => {
    expect(read('"Mr. J. User <sip:j.user@example.com>')).toEqual({ error: 0 });
    expect(read('"abc\\"')).toEqual({ error: 0 });
    expect(read('"abc\\')).toEqual({ error: 0 });
  });
  it('refuses raw control characters, a line break that is not a fold, and quoted CR/LF', () => {
    expect(read('"a\x00b"')).toEqual({ error: 2 });
    expect(read('"a\x7fb"')).toEqual({ error: 2 });
    expect(read('"a\r\nb"')).toEqual({ error: 2 });
    expect(read('"a\rb"')).toEqual({ error: 2 });
    expect(read('"a\\\rb"')).toEqual({ error: 3 });
    expect(read('"a\\\xe9"')).toEqual({ error: 3 }); // quoted-pair only up to %x7F
  });
  it('quote() round-trips through scan + unquote, escaping " and \\', () => {
    for (const v of ['', 'plain', 'say "hi"', 'back\\slash', 'ctl\x01\x7f', 'tab\tok', '\xe6\x97\xa5']) {
      expect(read(quote(v))).toBe(v);
    }
  });
  it('quote() turns CR and LF into spaces, so a value cannot break a header line', () => {
    const q = quote('evil\r\nVia: x');
    expect(q).toBe('"evil  Via: x"');
    expect(q).not.toMatch(/[\r\n]/);
  });
});
