import { describe, expect, it } from 'vitest';
import { ALL_REASON_CODES, REASON_CODES, describeReason, isReasonCode } from './reason-codes.js';
import { drop, forMethod, primaryReason, refuse, reject, relay } from './verdict.js';

describe('reason codes: a stable contract', () => {
  it('are kebab-case ASCII, each with a one-line meaning', () => {
    expect(ALL_REASON_CODES.length).toBeGreaterThanOrEqual(14);
    for (const code of ALL_REASON_CODES) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(REASON_CODES[code].length).toBeGreaterThan(10);
      expect(REASON_CODES[code]).not.toContain('\n');
    }
  });

  it('keep every shipped code (renaming one breaks stored events and people\'s alerts)', () => {
    const shipped = ['banned', 'malformed', 'too-large', 'not-from-provider', 'unknown-alias', 'no-alias', 'unknown-dialog', 'flood', 'lan-not-allowed', 'open-relay', 'loop', 'too-many-hops', 'scanner-fingerprint', 'provider-rewrites-uri'];
    for (const code of shipped) expect(isReasonCode(code), code).toBe(true);
    expect(isReasonCode('toString')).toBe(false);
    expect(describeReason('nope')).toBeNull();
    expect(describeReason('flood')).toContain('never banned');
  });
});

describe('verdicts', () => {
  it('refuse() follows policy.unknown: drop, 403 or 404', () => {
    expect(refuse('drop', ['no-alias'])).toEqual({ action: 'drop', reasons: ['no-alias'], family: null });
    expect(refuse('403', ['no-alias'])).toMatchObject({ action: 'reject', status: 403 });
    expect(refuse('404', ['no-alias'], { family: 'sipvicious' })).toMatchObject({ action: 'reject', status: 404, family: 'sipvicious' });
  });

  it('forMethod() turns the reject of an ACK into a drop, and leaves anything else', () => {
    const refused = reject(403, ['not-from-provider'], { neverBan: true });
    expect(forMethod(refused, 'ACK')).toEqual({ action: 'drop', reasons: ['not-from-provider'], family: null, neverBan: true });
    expect(forMethod(refused, 'INVITE')).toBe(refused);
    const dropped = drop(['flood']);
    expect(forMethod(dropped, 'ACK')).toBe(dropped);
  });

  it('reasons are copied and frozen; primaryReason is the first', () => {
    const reasons: ('flood' | 'no-alias')[] = ['no-alias', 'flood'];
    const verdict = drop(reasons);
    reasons.pop();
    expect(verdict.reasons).toEqual(['no-alias', 'flood']);
    expect(Object.isFrozen(verdict.reasons)).toBe(true);
    expect(primaryReason(verdict)).toBe('no-alias');
    expect(primaryReason(relay())).toBeNull();
    expect(relay([], { neverBan: false })).not.toHaveProperty('neverBan');
  });
});
