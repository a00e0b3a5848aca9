import { describe, expect, it } from 'vitest';
import { MAX_PEOPLE_TEXT, hasUnsafeChar, peopleText } from './people-text.js';

const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('peopleText: attacker text made safe for a sentence', () => {
  it('decodes the parser\'s byte strings as UTF-8', () => {
    expect(peopleText(latin1('山田 太郎'))).toBe('山田 太郎');
    expect(peopleText(latin1('Zoë'))).toBe('Zoë');
    expect(peopleText('\xff\xfe')).toBe('\ufffd\ufffd');
  });

  it('removes control characters and turns line breaks and tabs into single spaces', () => {
    expect(peopleText('Bob\r\nInjected: yes')).toBe('Bob Injected: yes');
    expect(peopleText('a\x00b\x1bc\x7fd')).toBe('abcd');
    expect(peopleText(latin1('d\u0085e\u009bf'))).toBe('d ef'); // C1 controls, UTF-8 encoded
    expect(peopleText('  \t spaced \t\t out  ')).toBe('spaced out');
    expect(peopleText('\u2028line\u2029para')).toBe('line para');
  });

  it('removes bidirectional overrides and zero-width characters, and defuses markup', () => {
    expect(peopleText('\u202egnp.exe\u202c')).toBe('gnp.exe');
    expect(peopleText('a\u200bb\u2066c\ufeff')).toBe('abc');
    expect(peopleText('<script>alert(1)</script>')).toBe('‹script›alert(1)‹/script›');
  });

  it('drops lone surrogates and keeps pairs whole', () => {
    expect(peopleText('a\ud800b\udc00c')).toBe('abc');
    expect(peopleText('😀x')).toBe('😀x');
  });

  it(`caps at ${MAX_PEOPLE_TEXT} code points with an ellipsis, never splitting a pair`, () => {
    expect(peopleText('x'.repeat(40))).toBe('x'.repeat(40));
    expect(peopleText('x'.repeat(41))).toBe(`${'x'.repeat(39)}…`);
    const emoji = peopleText('😀'.repeat(50));
    expect([...emoji]).toHaveLength(40);
    expect(emoji.endsWith('😀…')).toBe(true);
    expect(peopleText('abc def', 5)).toBe('abc…');
  });

  it('bounds the work on a megabyte and still marks the cut', () => {
    const huge = `${' '.repeat(1_000_000)}x`;
    expect(peopleText(huge)).toBe('…');
    expect(peopleText('y'.repeat(1_000_000)).length).toBe(40);
  });

  it('gives "" for null, undefined and text that is only control characters', () => {
    expect(peopleText(null)).toBe('');
    expect(peopleText(undefined)).toBe('');
    expect(peopleText('\x00\x01\r\n')).toBe('');
  });

  it('hasUnsafeChar finds what peopleText removes', () => {
    expect(hasUnsafeChar('plain text, 日本語 😀 …')).toBe(false);
    for (const bad of ['\n', '\r', '\t', '\x00', '\x1b[31m', '\u202e', '\u2028', '<', '\ud800']) expect(hasUnsafeChar(`a${bad}b`), JSON.stringify(bad)).toBe(true);
  });
});
