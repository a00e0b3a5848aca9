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
import { isMap, isScalar } from 'yaml';
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

/** A blocklist the guard follows (`defense.blocklists[]`): a file or an http(s) URL, read every `every`. */
export interface BlocklistConfig {
  readonly source: { readonly file: string } | { readonly url: string };
  readonly everySeconds: number;
}

export interface DefenseConfig {
  readonly dryRun: boolean;
  /** Mirror the bans into an nftables set (`table inet ghostguard`). */
  readonly nftables: boolean;
  readonly blocklists: readonly BlocklistConfig[];
  readonly rate: RateConfig;
  readonly bans: BanConfig;
  readonly password: PasswordConfig;
}

export const DEFENSE_DEFAULTS: DefenseConfig = Object.freeze({
  dryRun: false,
  nftables: false,
  blocklists: Object.freeze([]) as readonly BlocklistConfig[],
  rate: Object.freeze({ requestsPerSecond: 50, burst: 200, maxSources: 100_000 }),
  bans: Object.freeze({ durationSeconds: 3600, maxDurationSeconds: 7 * 24 * 3600, floodSeconds: 10, refused: 20, refusedWindowSeconds: 60 }),
  password: Object.freeze({ failures: 10, windowSeconds: 600, accountFailures: 20, retrySeconds: 30 }),
});

/** The keys of each part of the section, for the reader's unknown-key check. */
export const DEFENSE_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['defense', ['dry_run', 'nftables', 'blocklists', 'rate', 'bans', 'password']],
  ['defense.blocklists[]', ['file', 'url', 'every']],
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
  const nftables = readBoolean(r, r.child(keys, entry, 'nftables')) ?? d.nftables;
  const blocklists = readBlocklists(r, r.child(keys, entry, 'blocklists'));
  return { dryRun, nftables, blocklists, rate, bans, password };
}

const MAX_BLOCKLISTS = 20;
const MIN_EVERY_S = 60;
const MAX_EVERY_S = 30 * 86_400;

/** `every`: seconds, or a duration such as 90s, 30m, 6h, 1d. */
function readEvery(r: ConfigReader, entry: Entry): number | undefined {
  const node = entry.node;
  if (node !== null && isScalar(node) && typeof node.value === 'number') return r.int(entry, MIN_EVERY_S, MAX_EVERY_S);
  const text = r.text(entry);
  if (text === undefined) return undefined;
  const m = /^(\d{1,7})([smhd])$/.exec(text.trim());
  const seconds = m === null ? NaN : Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (!(seconds >= MIN_EVERY_S && seconds <= MAX_EVERY_S)) {
    r.error(entry.path, node, `expected a duration from 60s to 30d, such as 30m, 6h or 1d; found "${text.slice(0, 40)}"`);
    return undefined;
  }
  return seconds;
}

/** `defense.blocklists`: a list of `{ file | url, every }`. */
function readBlocklists(r: ConfigReader, entry: Entry): BlocklistConfig[] {
  const items = r.list(entry) ?? [];
  if (items.length > MAX_BLOCKLISTS) r.error(entry.path, entry.node, `at most ${MAX_BLOCKLISTS} blocklists`);
  const out: BlocklistConfig[] = [];
  for (const item of items.slice(0, MAX_BLOCKLISTS)) {
    if (item.node === null || !isMap(item.node)) {
      r.error(item.path, item.node ?? item.near, 'expected a mapping with file or url, and every, e.g. - url: https://lists.example/scanners.txt');
      continue;
    }
    const raw = r.section({ ...item, path: 'defense.blocklists[]' }) ?? new Map<string, Entry>();
    const keys = new Map([...raw].map(([k, e]) => [k, { ...e, path: `${item.path}.${k}` }]));
    const fileEntry = r.child(keys, item, 'file');
    const urlEntry = r.child(keys, item, 'url');
    const everyEntry = r.child(keys, item, 'every');
    const file = r.text(fileEntry)?.trim();
    const url = r.text(urlEntry)?.trim();
    const everySeconds = everyEntry.node === null ? 6 * 3600 : readEvery(r, everyEntry);
    if ((file === undefined) === (url === undefined)) {
      r.error(item.path, item.node, 'give either file or url (one of them)');
      continue;
    }
    if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) {
      r.error(urlEntry.path, urlEntry.node, `"${url.slice(0, 60)}" is not an http:// or https:// URL`);
      continue;
    }
    if (everySeconds === undefined) continue;
    out.push({ source: file !== undefined ? { file } : { url: url! }, everySeconds });
  }
  return out;
}

/** `true` / `false` (YAML booleans; the words quoted are accepted too). */
function readBoolean(r: ConfigReader, entry: Entry): boolean | undefined {
  const node = entry.node;
  if (node !== null && isScalar(node) && typeof node.value === 'boolean') return node.value;
  const word = r.choice(entry, ['true', 'false']);
  return word === undefined ? undefined : word === 'true';
}
