import { describe, expect, it } from 'vitest';
import { looksLikeAliasToken } from '../policy/alias-token.js';
import { ALIAS_TOKEN_BITS, ALIAS_TOKEN_LENGTH, canonicalAliasToken, isAliasToken, newAliasToken } from './alias-token.js';

describe('alias tokens (DESIGN §2: random, at least 96 bits)', () => {
  it('carries at least 96 random bits as lower-case base32', () => {
    expect(ALIAS_TOKEN_BITS).toBeGreaterThanOrEqual(96);
    const token = newAliasToken();
    expect(token).toHaveLength(ALIAS_TOKEN_LENGTH);
    expect(token).toMatch(/^[a-z2-7]{24}$/);
  });

  it('encodes every bit: all-zero and all-one bytes give the first and last letters', () => {
    expect(newAliasToken((n) => new Uint8Array(n))).toBe('a'.repeat(24));
    expect(newAliasToken((n) => new Uint8Array(n).fill(255))).toBe('7'.repeat(24));
  });

  it('draws a new token each time', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newAliasToken()));
    expect(tokens.size).toBe(200);
  });

  it('recognises the shape, in either case, and nothing else', () => {
    const token = newAliasToken();
    expect(isAliasToken(token)).toBe(true);
    expect(canonicalAliasToken(token.toUpperCase())).toBe(token);
    expect(isAliasToken('100')).toBe(false);
    expect(isAliasToken(`${token}a`)).toBe(false);
    expect(isAliasToken(`${token.slice(0, 23)}1`)).toBe(false); // '1' is not base32
    expect(isAliasToken(`${token.slice(0, 23)}@`)).toBe(false);
    expect(isAliasToken(null)).toBe(false);
  });

  it('has the shape the policy takes for a token (so an expired one is labelled unknown-alias)', () => {
    expect(looksLikeAliasToken(newAliasToken())).toBe(true);
  });
});
