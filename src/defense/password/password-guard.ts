/**
 * Password-guessing defense for phones that register through the guard from the internet (a guard
 * on a VPS: the LAN leg over TLS/TCP/UDP from public addresses). Private sources are left alone.
 *
 * A failure is a REGISTER that carried credentials and still got 401/407/403 from the provider.
 * The first 401 of every registration (no credentials yet) is the normal digest challenge, and a
 * 401/407 with `stale=true` means the credentials were right but the nonce old: neither counts.
 *
 * - Per source: `failures` within `windowMs` → the source is banned (`onGuessing`).
 * - Per account: `accountFailures` within `windowMs` (from any sources) → the account is under
 *   attack: while it is, a source that already failed on it gets one attempt per `retryMs`; its
 *   other REGISTERs are refused. A source that registered this account successfully is never
 *   refused, and a new source gets its first attempt.
 * - A success forgets the source's failures: a real phone that got its password wrong once or
 *   twice is never locked out.
 *
 * Memory is bounded: each table keeps at most `capacity` keys.
 */
import type { PasswordConfig } from '../../config/defense-config.js';
import type { Logger } from '../../transport/logger.js';
import { BoundedMap } from './bounded-map.js';
import type { RegistrationAttempt, RegistrationWatch } from './registration-watch.js';

interface Window {
  count: number;
  start: number;
}

export interface PasswordGuardOptions {
  readonly config: PasswordConfig;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** Whether REGISTERs from this source are watched (default: all). The defense passes "not private". */
  readonly watched?: (source: string) => boolean;
  /** A source passed `failures`: ban it. */
  readonly onGuessing: (source: string, reason: string) => void;
  /** Keys per table (default 10,000). */
  readonly capacity?: number;
}

export interface PasswordStats {
  readonly failures: number;
  readonly refused: number;
  /** Accounts with failures remembered (bounded). */
  readonly accountsWithFailures: number;
}

export class PasswordGuard implements RegistrationWatch {
  readonly #o: PasswordGuardOptions;
  readonly #windowMs: number;
  readonly #sources: BoundedMap<string, Window>;
  readonly #accounts: BoundedMap<string, Window>;
  /** `source aor` → time of the last failure. */
  readonly #lastFailure: BoundedMap<string, number>;
  /** `source aor` of every successful registration. */
  readonly #succeeded: BoundedMap<string, true>;
  #failures = 0;
  #refused = 0;

  constructor(options: PasswordGuardOptions) {
    this.#o = options;
    this.#windowMs = options.config.windowSeconds * 1000;
    const capacity = options.capacity ?? 10_000;
    this.#sources = new BoundedMap(capacity);
    this.#accounts = new BoundedMap(capacity);
    this.#lastFailure = new BoundedMap(capacity);
    this.#succeeded = new BoundedMap(capacity);
  }

  admit(attempt: RegistrationAttempt): boolean {
    if (!this.#watched(attempt.source)) return true;
    const now = this.#o.clock.now();
    if (!this.#attacked(attempt.aor, now)) return true;
    const pair = pairKey(attempt);
    if (this.#succeeded.get(pair) !== undefined) return true;
    const last = this.#lastFailure.get(pair);
    if (last === undefined || now - last >= this.#o.config.retrySeconds * 1000) return true;
    this.#refused++;
    return false;
  }

  outcome(attempt: RegistrationAttempt, status: number, stale: boolean): void {
    if (!this.#watched(attempt.source)) return;
    const now = this.#o.clock.now();
    const pair = pairKey(attempt);
    if (status >= 200 && status < 300) {
      this.#succeeded.set(pair, true);
      this.#sources.delete(attempt.source);
      this.#lastFailure.delete(pair);
      return;
    }
    const failed = attempt.credentials && !stale && (status === 401 || status === 407 || status === 403);
    if (!failed) return;
    this.#failures++;
    this.#lastFailure.set(pair, now);
    const { failures, accountFailures } = this.#o.config;
    const bySource = this.#count(this.#sources, attempt.source, now);
    const byAccount = this.#count(this.#accounts, attempt.aor, now);
    if (byAccount === accountFailures) {
      this.#o.logger.warn(`account ${attempt.aor} is under a password attack: failing sources now get one attempt per ${this.#o.config.retrySeconds} s`, {
        aor: attempt.aor,
        failures: byAccount,
      });
    }
    if (bySource === failures) {
      this.#o.onGuessing(attempt.source, `password guessing: ${bySource} failed REGISTERs in ${this.#o.config.windowSeconds} s (last for ${attempt.aor})`);
    }
  }

  /** Failures of a source in its current window (0 when none or unwatched). */
  sourceFailures(source: string): number {
    const w = this.#sources.get(source);
    return w === undefined || this.#o.clock.now() - w.start >= this.#windowMs ? 0 : w.count;
  }

  stats(): PasswordStats {
    return { failures: this.#failures, refused: this.#refused, accountsWithFailures: this.#accounts.size };
  }

  /** Whether `aor` is under attack now (one attempt per `retry_s` for failing sources). */
  isAttacked(aor: string): boolean {
    return this.#attacked(aor, this.#o.clock.now());
  }

  #attacked(aor: string, now: number): boolean {
    const w = this.#accounts.get(aor);
    return w !== undefined && now - w.start < this.#windowMs && w.count >= this.#o.config.accountFailures;
  }

  #count(table: BoundedMap<string, Window>, key: string, now: number): number {
    let w = table.get(key);
    if (w === undefined || now - w.start >= this.#windowMs) w = { count: 0, start: now };
    w.count++;
    table.set(key, w);
    return w.count;
  }

  #watched(source: string): boolean {
    return this.#o.watched?.(source) ?? true;
  }
}

function pairKey(attempt: RegistrationAttempt): string {
  return `${attempt.source} ${attempt.aor}`;
}
