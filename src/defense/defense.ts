/**
 * The defense layer as one object (README.md in this folder): per-source rate limits, the ban table
 * and password-guessing limits, and the triggers that turn what they see into automatic bans.
 *
 * The guard calls, for every request on the WAN leg, `isBanned` (before parsing) and `rate` (in the
 * inbound gate): both are cheap and allocate nothing. It reports every refused request to `refused`
 * and every REGISTER outcome to `passwords`. Triggers, each logged with its reason:
 * - a source rate-limited without pause for `bans.flood_s` → banned (`flood`);
 * - a source refused `bans.refused` times within `bans.refused_window_s` → banned;
 * - a source with `password.failures` failed REGISTERs within `password.window_s` → banned.
 * The ban table refuses to ban the provider, the LAN or a registered phone: they stay rate-limited.
 */
import type { DefenseConfig } from '../config/defense-config.js';
import { parseIp } from '../config/ip-address.js';
import type { RateState } from '../policy/gate-context.js';
import type { BanStore } from '../store/ban-store.js';
import type { Logger } from '../transport/logger.js';
import { BanManager } from './bans/ban-manager.js';
import { isPrivateIp, type BanProtection } from './bans/ban-protection.js';
import { PasswordGuard, type PasswordStats } from './password/password-guard.js';
import { RATE_FLOODING, RATE_OK, RateLimiter } from './rate/rate-limiter.js';
import { RefusalCounter } from './rate/refusal-counter.js';
import type { SourceTableStats } from './rate/source-table.js';

export interface DefenseOptions {
  readonly config: DefenseConfig;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** Where bans persist; null: in memory only. */
  readonly store: BanStore | null;
  /** Who is never banned (default: nobody is protected). */
  readonly protect?: BanProtection;
}

/** Counters for the dashboard and metrics. */
export interface DefenseStats {
  /** The per-source table: capacity, size, evictions, bytes (its own accounting). */
  readonly sources: SourceTableStats;
  /** Bans in the table (in force or not yet purged), not counting dry-run ones. */
  readonly bans: number;
  readonly dryRun: boolean;
  readonly passwords: PasswordStats;
}

/** Reasons that do not count as a refusal: already dealt with (`banned`) or counted by the rate limiter. */
const NOT_COUNTED = new Set(['banned', 'flood']);

export class Defense {
  readonly config: DefenseConfig;
  readonly bans: BanManager;
  readonly limiter: RateLimiter;
  readonly refusals: RefusalCounter;
  readonly passwords: PasswordGuard;
  readonly #clock: { now(): number };
  readonly #logger: Logger;

  constructor(options: DefenseOptions) {
    const { config, clock, logger } = options;
    this.config = config;
    this.#clock = clock;
    this.#logger = logger;
    this.bans = new BanManager({
      config: config.bans,
      dryRun: config.dryRun,
      clock,
      logger,
      store: options.store,
      ...(options.protect === undefined ? {} : { protect: options.protect }),
    });
    this.limiter = new RateLimiter({ ...config.rate, floodMs: config.bans.floodSeconds * 1000 });
    this.refusals = new RefusalCounter(this.limiter.table, config.bans.refused, config.bans.refusedWindowSeconds * 1000);
    this.passwords = new PasswordGuard({
      config: config.password,
      clock,
      logger,
      watched: isInternetAddress,
      onGuessing: (source, reason) => this.#autoBan(source, reason, null),
    });
  }

  /** Loads the persisted bans; returns how many are in force. */
  start(): number {
    const loaded = this.bans.load();
    if (loaded > 0) this.#logger.info(`${loaded} ban(s) kept from before the restart`, { bans: loaded });
    return loaded;
  }

  /** Step 1 of the inbound decision (hot path). */
  readonly isBanned = (address: string): boolean => this.bans.isBanned(address);

  /** Step 5 of the inbound decision (hot path): one request from `address` (at `now`, default the clock's). */
  readonly rate = (address: string, now = this.#clock.now()): RateState => {
    const hit = this.limiter.hit(address, now);
    if (hit === RATE_OK) return 'ok';
    if (hit === RATE_FLOODING) {
      const { floodSeconds } = this.config.bans;
      const { requestsPerSecond } = this.config.rate;
      this.#autoBan(address, `flood: over ${requestsPerSecond} requests/s without pause for ${floodSeconds} s`, null);
    }
    return 'limited';
  };

  /** A request the guard dropped or refused (an event, at `now`), with its primary reason code. */
  refused(address: string, primary: string | undefined, family: string | null, now = this.#clock.now()): void {
    if (primary === undefined || NOT_COUNTED.has(primary) || this.bans.isBanned(address)) return;
    if (!this.refusals.refused(address, now)) return;
    const { refused, refusedWindowSeconds } = this.config.bans;
    const label = family === null ? primary : `${primary}, ${family}`;
    this.#autoBan(address, `${refused} refused requests in ${refusedWindowSeconds} s (${label})`, family);
  }

  stats(): DefenseStats {
    return { sources: this.limiter.table.stats(), bans: this.bans.size, dryRun: this.config.dryRun, passwords: this.passwords.stats() };
  }

  /** The housekeeping timer's work: ends expired bans. */
  housekeeping(): number {
    return this.bans.purgeExpired();
  }

  /** Writes pending ban changes (before the store closes). */
  stop(): void {
    this.bans.flush();
  }

  #autoBan(address: string, reason: string, family: string | null): void {
    const outcome = this.bans.add({ address, reason, source: 'auto', ...(family === null ? {} : { family }) });
    if (!outcome.ok) this.#logger.info(`not banned: ${outcome.message}`, { address, reason, refused: outcome.refused });
  }
}

/** A public address (not private, loopback, link-local or unique-local): password guessing is watched there. */
export function isInternetAddress(address: string): boolean {
  const ip = parseIp(address, true);
  return ip !== null && !isPrivateIp(ip);
}
