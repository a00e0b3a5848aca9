import { describe, expect, it } from 'vitest';
import { editDistance, suggestKey } from './suggest-key.js';

describe('suggestKey', () => {
  const keys = ['listen', 'transports', 'public', 'tls'];

  it('finds typos, swaps and other spellings of the same key', () => {
    expect(suggestKey('lisen', keys)).toBe('listen');
    expect(suggestKey('litsen', keys)).toBe('listen');
    expect(suggestKey('transport', keys)).toBe('transports');
    expect(suggestKey('Listen', keys)).toBe('listen');
    expect(suggestKey('retentionDays', ['retention_days', 'aggregate_window_s'])).toBe('retention_days');
    expect(suggestKey('aggregate-window-s', ['retention_days', 'aggregate_window_s'])).toBe('aggregate_window_s');
  });

  it('suggests nothing for unrelated keys', () => {
    expect(suggestKey('password', keys)).toBeNull();
    expect(suggestKey('x', keys)).toBeNull();
  });

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
