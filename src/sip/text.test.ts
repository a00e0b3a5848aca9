import { describe, expect, it } from 'vitest';
import { unescapePercent, utf8Text } from './text.js';

const bytes = (utf8: string) => Buffer.from(utf8, 'utf8').toString('latin1');

describe('utf8Text', () => {
  it('returns pure ASCII unchanged (the same string)', () => {
    const s = 'sipvicious';
    expect(utf8Text(s)).toBe(s);
  });
  it('decodes UTF-8 bytes (RFC 4475 §3.1.1.12 unreason: Cyrillic reason phrase)', () => {
    expect(utf8Text(bytes('Привет, мир'))).toBe('Привет, мир');
    expect(utf8Text(bytes('日本語の表示名'))).toBe('日本語の表示名');
  });
  it('turns invalid sequences into U+FFFD', () => {
    expect(utf8Text('a\xff b')).toBe('a\ufffd b');
    expect(utf8Text('\xc3')).toBe('\ufffd'); // truncated sequence
    expect(utf8Text('x\xe2\x82')).toBe('x\ufffd');
    expect(utf8Text('\xc0\xaf')).not.toContain('/'); // overlong encoding is not decoded
  });
});

describe('unescapePercent (RFC 3261 §25.1 escaped = "%" HEXDIG HEXDIG)', () => {
  it('returns a string without % unchanged', () => {
    const s = 'alice';
    expect(unescapePercent(s)).toBe(s);
  });
  it('decodes escapes byte for byte (RFC 4475 §3.1.1.3 esc01)', () => {
    expect(unescapePercent('sips%3Auser%40example.com')).toBe('sips:user@example.com');
    expect(unescapePercent('I%20have%20spaces')).toBe('I have spaces');
    expect(unescapePercent('%75se%72')).toBe('user');
    expect(unescapePercent('%e3%81%82')).toBe('\xe3\x81\x82'); // bytes, not decoded UTF-8
  });
  it('keeps an escaped NUL as a character (RFC 4475 §3.1.1.4 escnull)', () => {
    expect(unescapePercent('null-%00-null')).toBe('null-\0-null');
    expect(unescapePercent('%00%00')).toHaveLength(2);
  });
  it('decodes in a single pass: %2541 is "%41", not "A"', () => {
    expect(unescapePercent('v%61lue%25%34%31')).toBe('value%41');
  });
  it('leaves malformed escapes as they are', () => {
    expect(unescapePercent('%')).toBe('%');
    expect(unescapePercent('%4')).toBe('%4');
    expect(unescapePercent('%ZZ%41')).toBe('%ZZA');
    expect(unescapePercent('100%')).toBe('100%');
    expect(unescapePercent('%Z%45')).toBe('%ZE');
  });
});
