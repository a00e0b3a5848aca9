import { describe, expect, it } from 'vitest';
import { MAGIC_COOKIE, isRfc3261Branch, newBranch } from './branch.js';

describe('Via branch (RFC 3261 §8.1.1.7)', () => {
  it('a new branch MUST begin with the magic cookie "z9hG4bK" and carries 96 random bits of token characters', () => {
    const branches = new Set(Array.from({ length: 200 }, () => newBranch()));
    expect(branches.size).toBe(200);
    for (const branch of branches) {
      expect(branch.startsWith(MAGIC_COOKIE)).toBe(true);
      expect(branch.slice(MAGIC_COOKIE.length)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
  });

  it('recognises an RFC 3261 branch by its cookie, case-insensitively (tokens, §7.3.1); others are RFC 2543 (§17.2.3)', () => {
    expect(isRfc3261Branch('z9hG4bK776asdhds')).toBe(true);
    expect(isRfc3261Branch('Z9HG4BK776asdhds')).toBe(true);
    expect(isRfc3261Branch('z9hG4bK')).toBe(true);
    expect(isRfc3261Branch('776asdhds')).toBe(false);
    expect(isRfc3261Branch('z9hG4b')).toBe(false);
    expect(isRfc3261Branch(null)).toBe(false);
    expect(isRfc3261Branch(undefined)).toBe(false);
  });
});
