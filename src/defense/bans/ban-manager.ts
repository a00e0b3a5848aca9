/**
 * The ban table (implements {@link BanControl}): bans with expiry, escalation for repeat offenders,
 * exact addresses and CIDR blocks, persisted in the store, and never the provider, the LAN or a
 * registered phone (`ban-protection.ts`).
 *
 * - Duration: a request without one gets `duration_s` doubled for each earlier strike of the address
 *   (`StrikeHistory`), up to `max_duration_s`: 1 h → 2 h → 4 h … → 1 week. `null`: until removed.
 * - Dry run (`defense.dry_run`): automatic bans are recorded (in memory, listed, emitted with
 *   `dryRun: true`, logged) but not enforced. Manual and blocklist bans, asked for by a person, are.
 * - `isBanned` is one Map probe for an exact address (plus one per CIDR prefix length in use).
 * - Changes are written to the store in batches (`BanJournal`); expired bans are purged by
 *   {@link BanManager.purgeExpired}, which the guard's housekeeping timer calls.
 */
import { formatCidr, parseCidr } from '../../config/cidr.js';
import type { BanConfig } from '../../config/defense-config.js';
import type { Ban, BanStore } from '../../store/ban-store.js';
import type { Logger } from '../../transport/logger.js';
import type { BanChange, BanControl, BanOutcome, BanRequest } from './ban-control.js';
import { BanIndex } from './ban-index.js';
import { BanJournal } from './ban-journal.js';
import type { BanProtection } from './ban-protection.js';
import { StrikeHistory } from './strike-history.js';

export interface BanManagerOptions {
  readonly config: BanConfig;
  readonly dryRun: boolean;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** Null: bans live in memory only. */
  readonly store: BanStore | null;
  /** Default: nothing is protected. */
  readonly protect?: BanProtection;
}

/** Would-be bans kept in dry-run mode, and addresses whose strikes are remembered. */
const DRY_RUN_CAPACITY = 10_000;
const STRIKE_CAPACITY = 100_000;
const STRIKE_MEMORY_MS = 30 * 86_400_000;

export class BanManager implements BanControl {
  readonly #o: BanManagerOptions;
  readonly #index = new BanIndex();
  readonly #dryRun = new Map<string, Ban>();
  readonly #strikes = new StrikeHistory(STRIKE_CAPACITY, STRIKE_MEMORY_MS);
  readonly #journal: BanJournal;
  readonly #listeners = new Set<(change: BanChange) => void>();

  constructor(options: BanManagerOptions) {
    this.#o = options;
    this.#journal = new BanJournal(options.store, options.logger);
  }

  /** Loads the bans in force from the store and purges the expired ones there. */
  load(): number {
    const store = this.#o.store;
    if (store === null) return 0;
    const now = this.#o.clock.now();
    let loaded = 0;
    for (const ban of store.list({ activeAt: now })) {
      const cidr = parseCidr(ban.address);
      if (typeof cidr === 'string') continue;
      this.#index.set(formatCidr(cidr), cidr, ban);
      this.#strikes.record(ban.address, ban.strikes, ban.createdAt);
      loaded++;
    }
    store.purgeExpired(now);
    return loaded;
  }

  isBanned(address: string): boolean {
    if (this.#index.size === 0) return false;
    return this.#index.match(address, this.#o.clock.now()) !== undefined;
  }

  /** The ban in force that covers `address`, if any. */
  banOf(address: string): Ban | undefined {
    return this.#index.match(address, this.#o.clock.now());
  }

  add(request: BanRequest): BanOutcome {
    const cidr = parseCidr(request.address.trim());
    if (typeof cidr === 'string') return { ok: false, refused: 'invalid', message: cidr };
    const address = formatCidr(cidr);
    const refused = this.#o.protect?.(cidr) ?? null;
    if (refused !== null) {
      const message = `${address} is ${refused === 'provider' ? "the provider's" : refused === 'lan' ? 'on the LAN' : "a registered phone's"}: never banned (only rate-limited)`;
      return { ok: false, refused, message };
    }
    const now = this.#o.clock.now();
    const existing = this.#index.get(address);
    if (request.source === 'auto' && existing !== undefined && outlasts(existing, now, this.#o.config.durationSeconds)) {
      // An automatic trigger never shortens a ban in force (a manual one until removed, a longer one).
      return { ok: true, ban: existing, dryRun: false };
    }
    const dryRun = this.#o.dryRun && request.source === 'auto';
    const strikes = this.#strikes.strikes(address, now) + 1;
    const ban: Ban = {
      address,
      reason: request.reason,
      ...(request.family === undefined ? {} : { family: request.family }),
      createdAt: now,
      expiresAt: this.#expiry(request.durationMs, strikes, now),
      strikes,
      source: request.source,
    };
    if (dryRun) {
      this.#dryRun.delete(address);
      this.#dryRun.set(address, ban);
      if (this.#dryRun.size > DRY_RUN_CAPACITY) this.#dryRun.delete(this.#dryRun.keys().next().value!);
    } else {
      this.#index.set(address, cidr, ban);
      this.#journal.put(ban);
    }
    this.#strikes.record(address, strikes, now);
    this.#log(ban, dryRun);
    this.#emit({ kind: 'added', ban, dryRun });
    return { ok: true, ban, dryRun };
  }

  remove(address: string): boolean {
    const cidr = parseCidr(address.trim());
    if (typeof cidr === 'string') return false;
    const key = formatCidr(cidr);
    const ban = this.#index.delete(key) ?? this.#dryRun.get(key);
    if (ban === undefined) return false;
    this.#dryRun.delete(key);
    this.#journal.remove(key);
    this.#o.logger.info(`ban of ${key} removed`, { address: key });
    this.#emit({ kind: 'removed', ban });
    return true;
  }

  list(): Ban[] {
    const now = this.#o.clock.now();
    const live = (ban: Ban): boolean => ban.expiresAt === null || ban.expiresAt > now;
    const all = [...this.#index.values(), ...this.#dryRun.values()].filter(live);
    return all.sort((a, b) => a.createdAt - b.createdAt || (a.address < b.address ? -1 : 1));
  }

  /** Whether a listed ban is only a would-be ban (dry run). */
  isDryRun(address: string): boolean {
    return this.#dryRun.has(address);
  }

  subscribe(listener: (change: BanChange) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Ends the bans whose time is up (emitted as `expired`); returns how many. */
  purgeExpired(): number {
    const now = this.#o.clock.now();
    const expired = [...this.#index.values()].filter((ban) => ban.expiresAt !== null && ban.expiresAt <= now);
    for (const ban of expired) {
      this.#index.delete(ban.address);
      this.#journal.remove(ban.address);
    }
    for (const [key, ban] of this.#dryRun) if (ban.expiresAt !== null && ban.expiresAt <= now) this.#dryRun.delete(key);
    for (const ban of expired) {
      this.#o.logger.info(`ban of ${ban.address} expired`, { address: ban.address, strikes: ban.strikes });
      this.#emit({ kind: 'expired', ban });
    }
    return expired.length;
  }

  /** Writes pending changes to the store now (before the store closes). */
  flush(): void {
    this.#journal.flush();
  }

  get size(): number {
    return this.#index.size;
  }

  #expiry(durationMs: number | null | undefined, strikes: number, now: number): number | null {
    if (durationMs === null) return null;
    if (durationMs !== undefined) return now + Math.max(0, durationMs);
    const { durationSeconds, maxDurationSeconds } = this.#o.config;
    const seconds = Math.min(maxDurationSeconds, durationSeconds * 2 ** Math.min(strikes - 1, 40));
    return now + seconds * 1000;
  }

  #log(ban: Ban, dryRun: boolean): void {
    const until = ban.expiresAt === null ? 'until removed' : `for ${humanDuration(ban.expiresAt - ban.createdAt)}`;
    const fields = { address: ban.address, reason: ban.reason, family: ban.family ?? null, strikes: ban.strikes, expiresAt: ban.expiresAt, source: ban.source, dryRun };
    const text = `${dryRun ? 'dry run: would ban' : 'banned'} ${ban.address} ${until}: ${ban.reason}${ban.strikes > 1 ? ` (strike ${ban.strikes})` : ''}`;
    if (ban.source === 'blocklist') this.#o.logger.debug(text, fields);
    else this.#o.logger.warn(text, fields);
  }

  #emit(change: BanChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#o.logger.error('a ban listener failed', { error: String(err) });
      }
    }
  }
}

/** Whether `ban` is in force and lasts at least `seconds` more (or has no end). */
function outlasts(ban: Ban, now: number, seconds: number): boolean {
  return ban.expiresAt === null || ban.expiresAt - now >= seconds * 1000;
}

export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 86_400 === 0 && s > 0) return `${s / 86_400} d`;
  if (s % 3600 === 0 && s > 0) return `${s / 3600} h`;
  if (s % 60 === 0 && s > 0) return `${s / 60} min`;
  return `${s} s`;
}
