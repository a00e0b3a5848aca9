/**
 * The `defense:` section: per-source rate limits, automatic bans with escalation, password-guessing
 * limits and dry-run (src/defense/README.md). Every key is optional; the defaults are far above
 * what a real phone or provider sends and far below what a flood or a guesser sends.
 *
 * ```yaml
 * defense:
 *   dry_run: false            # true: record and show would-be automatic bans, enforce none
 *   rate:
 *     requests_per_second: 50 # per source, on the WAN leg (token bucket)
 *     burst: 200
 *     max_sources: 100000     # sources tracked at once (bounded memory; ~ 100 bytes each)
 *   bans:
 *     duration_s: 3600        # the first automatic ban; each repeat doubles it ...
 *     max_duration_s: 604800  # ... up to this (1 week)
 *     flood_s: 10             # a source rate-limited this long without pause is banned
 *     refused: 20             # a source refused this many times ...
 *     refused_window_s: 60    # ... within this window is banned
 *   password:
 *     failures: 10            # REGISTERs with wrong credentials from one source ...
 *     window_s: 600           # ... within this window: the source is banned
 *     account_failures: 20    # failures on one account (from any sources) that mark it as attacked
 *     retry_s: 30             # while attacked: one attempt per source per this long
 * ```
 */
import { isScalar } from 'yaml';
import type { ConfigReader, Entry } from './config-reader.js';

export interface RateConfig {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly maxSources: number;
}

export interface BanConfig {
  readonly durationSeconds: number;
  readonly maxDurationSeconds: number;
  readonly floodSeconds: number;
  readonly refused: number;
  readonly refusedWindowSeconds: number;
}

export interface PasswordConfig {
  readonly failures: number;
  readonly windowSeconds: number;
  readonly accountFailures: number;
  readonly retrySeconds: number;
}

export interface DefenseConfig {
  readonly dryRun: boolean;
  readonly rate: RateConfig;
  readonly bans: BanConfig;
  readonly password: PasswordConfig;
}

export const DEFENSE_DEFAULTS: DefenseConfig = Object.freeze({
  dryRun: false,
  rate: Object.freeze({ requestsPerSecond: 50, burst: 200, maxSources: 100_000 }),
  bans: Object.freeze({ durationSeconds: 3600, maxDurationSeconds: 7 * 24 * 3600, floodSeconds: 10, refused: 20, refusedWindowSeconds: 60 }),
  password: Object.freeze({ failures: 10, windowSeconds: 600, accountFailures: 20, retrySeconds: 30 }),
});

/** The keys of each part of the section, for the reader's unknown-key check. */
export const DEFENSE_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['defense', ['dry_run', 'rate', 'bans', 'password']],
  ['defense.rate', ['requests_per_second', 'burst', 'max_sources']],
  ['defense.bans', ['duration_s', 'max_duration_s', 'flood_s', 'refused', 'refused_window_s']],
  ['defense.password', ['failures', 'window_s', 'account_failures', 'retry_s']],
];

type Section = Map<string, Entry>;

/** Reads `defense:`; every error is recorded on `r` and the default taken. */
export function readDefense(r: ConfigReader, entry: Entry): DefenseConfig {
  const keys: Section = r.section(entry) ?? new Map<string, Entry>();
  const part = (key: string): { entry: Entry; keys: Section } => {
    const e = r.child(keys, entry, key);
    return { entry: e, keys: r.section(e) ?? new Map<string, Entry>() };
  };
  const int = (p: { entry: Entry; keys: Section }, key: string, min: number, max: number, fallback: number): number =>
    r.int(r.child(p.keys, p.entry, key), min, max) ?? fallback;
  const d = DEFENSE_DEFAULTS;

  const dryRunEntry = r.child(keys, entry, 'dry_run');
  const dryRun = readBoolean(r, dryRunEntry) ?? d.dryRun;
  const rp = part('rate');
  const rate: RateConfig = {
    requestsPerSecond: int(rp, 'requests_per_second', 1, 1_000_000, d.rate.requestsPerSecond),
    burst: int(rp, 'burst', 1, 10_000_000, d.rate.burst),
    maxSources: int(rp, 'max_sources', 64, 10_000_000, d.rate.maxSources),
  };
  const bp = part('bans');
  const durationEntry = r.child(bp.keys, bp.entry, 'max_duration_s');
  const bans: BanConfig = {
    durationSeconds: int(bp, 'duration_s', 1, 10 * 365 * 86_400, d.bans.durationSeconds),
    maxDurationSeconds: int(bp, 'max_duration_s', 1, 10 * 365 * 86_400, d.bans.maxDurationSeconds),
    floodSeconds: int(bp, 'flood_s', 1, 86_400, d.bans.floodSeconds),
    refused: int(bp, 'refused', 1, 1_000_000, d.bans.refused),
    refusedWindowSeconds: int(bp, 'refused_window_s', 1, 86_400, d.bans.refusedWindowSeconds),
  };
  if (bans.maxDurationSeconds < bans.durationSeconds) {
    r.error(durationEntry.path, durationEntry.node ?? durationEntry.near, `max_duration_s (${bans.maxDurationSeconds}) is shorter than duration_s (${bans.durationSeconds})`);
  }
  const pp = part('password');
  const password: PasswordConfig = {
    failures: int(pp, 'failures', 1, 1_000_000, d.password.failures),
    windowSeconds: int(pp, 'window_s', 1, 30 * 86_400, d.password.windowSeconds),
    accountFailures: int(pp, 'account_failures', 1, 1_000_000, d.password.accountFailures),
    retrySeconds: int(pp, 'retry_s', 1, 86_400, d.password.retrySeconds),
  };
  return { dryRun, rate, bans, password };
}

/** `true` / `false` (YAML booleans; the words quoted are accepted too). */
function readBoolean(r: ConfigReader, entry: Entry): boolean | undefined {
  const node = entry.node;
  if (node !== null && isScalar(node) && typeof node.value === 'boolean') return node.value;
  const word = r.choice(entry, ['true', 'false']);
  return word === undefined ? undefined : word === 'true';
}
