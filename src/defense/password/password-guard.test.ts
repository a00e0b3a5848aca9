import { describe, expect, it } from 'vitest';
import { DEFENSE_DEFAULTS } from '../../config/defense-config.js';
import { silentLogger } from '../../transport/logger.js';
import { ManualClock } from '../../util/clock.js';
import { PasswordGuard } from './password-guard.js';
import { isStaleChallenge, type RegistrationAttempt } from './registration-watch.js';

const AOR = 'sip:alice@voip.example.test';
const config = { failures: 5, windowSeconds: 600, accountFailures: 8, retrySeconds: 30 };

function setup() {
  const clock = new ManualClock();
  const banned: string[] = [];
  const guard = new PasswordGuard({ config, clock, logger: silentLogger, onGuessing: (source) => banned.push(source) });
  return { clock, guard, banned };
}

const attempt = (source: string, credentials = true, aor = AOR): RegistrationAttempt => ({ source, aor, credentials });

/** One REGISTER: the guard's admission, then (if admitted) the provider's answer. */
function register(guard: PasswordGuard, a: RegistrationAttempt, status: number, stale = false): boolean {
  if (!guard.admit(a)) return false;
  guard.outcome(a, status, stale);
  return true;
}

describe('PasswordGuard: REGISTER digest guessing', () => {
  it('does not count the first 401 of a registration (no credentials) nor a stale nonce', () => {
    const { guard, banned } = setup();
    for (let i = 0; i < 50; i++) {
      register(guard, attempt('198.51.100.20', false), 401);
      register(guard, attempt('198.51.100.20'), 401, true);
    }
    expect(guard.sourceFailures('198.51.100.20')).toBe(0);
    expect(banned).toEqual([]);
  });

  it('bans a source past the failure threshold (401, 407 and 403 with credentials)', () => {
    const { guard, banned } = setup();
    const statuses = [401, 407, 403, 401];
    for (const status of statuses) register(guard, attempt('198.51.100.66'), status);
    expect(banned).toEqual([]);
    register(guard, attempt('198.51.100.66', true, 'sip:bob@voip.example.test'), 401);
    expect(banned).toEqual(['198.51.100.66']);
  });

  it('never locks out a real phone that got its password wrong once or twice', () => {
    const { clock, guard, banned } = setup();
    const phone = '203.0.113.50';
    for (let round = 0; round < 20; round++) {
      expect(register(guard, attempt(phone, false), 401)).toBe(true);
      expect(register(guard, attempt(phone), 403)).toBe(true);
      expect(register(guard, attempt(phone), 401)).toBe(true);
      expect(register(guard, attempt(phone), 200)).toBe(true);
      clock.advance(60_000);
    }
    expect(banned).toEqual([]);
    expect(guard.sourceFailures(phone)).toBe(0);
  });

  it('an account attacked from many sources: failing sources get one attempt per retry_s; successful ones are never refused', () => {
    const { clock, guard, banned } = setup();
    const phone = '203.0.113.50';
    expect(register(guard, attempt(phone), 200)).toBe(true);
    // Eight sources, one guess each: the account is now under attack, but no source is banned.
    for (let i = 1; i <= 8; i++) expect(register(guard, attempt(`198.51.100.${i}`), 403)).toBe(true);
    expect(guard.isAttacked(AOR)).toBe(true);
    expect(banned).toEqual([]);
    // A source that failed waits retry_s before its next guess; a new source gets its first one.
    expect(register(guard, attempt('198.51.100.1'), 403)).toBe(false);
    expect(register(guard, attempt('198.51.100.99'), 403)).toBe(true);
    expect(register(guard, attempt('198.51.100.99'), 403)).toBe(false);
    // The phone that registered before is never refused, even after a typo.
    expect(register(guard, attempt(phone), 401)).toBe(true);
    expect(register(guard, attempt(phone), 200)).toBe(true);
    clock.advance(30_000);
    expect(register(guard, attempt('198.51.100.1'), 403)).toBe(true);
    expect(guard.stats().refused).toBe(2);
    // Another account is not affected.
    expect(register(guard, attempt('198.51.100.1', true, 'sip:bob@voip.example.test'), 403)).toBe(true);
  });

  it('forgets failures after the window', () => {
    const { clock, guard, banned } = setup();
    for (let i = 0; i < 4; i++) register(guard, attempt('198.51.100.66'), 401);
    clock.advance(600_000);
    for (let i = 0; i < 4; i++) register(guard, attempt('198.51.100.66'), 401);
    expect(banned).toEqual([]);
    expect(guard.sourceFailures('198.51.100.66')).toBe(4);
  });

  it('reads stale=true in a challenge', () => {
    expect(isStaleChallenge('Digest realm="x", nonce="abc", stale=true')).toBe(true);
    expect(isStaleChallenge('Digest realm="x", nonce="abc", stale = "TRUE"')).toBe(true);
    expect(isStaleChallenge('Digest realm="x", nonce="abc", stale=false')).toBe(false);
    expect(isStaleChallenge('Digest realm="stale", nonce="abc"')).toBe(false);
    expect(isStaleChallenge('Digest realm="stale", nonce="abc", stale=true')).toBe(true);
    expect(isStaleChallenge(undefined)).toBe(false);
  });
});
