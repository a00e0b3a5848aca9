/**
 * `ghostguard blocklist import|export`: scanner blocklists in and out of the guard's store.
 *
 * - `import FILE|URL`: reads an APIBAN-style list (text or JSON) and adds its entries to the store's bans
 *   (source 'blocklist'), refusing the provider's configured addresses and the LAN when `--config` is
 *   given. Offline: a running guard takes them at its next start (lists the guard should follow go in
 *   `defense.blocklists`).
 * - `export`: the scanner addresses the guard has seen, from the event store, as text, JSON or CSV.
 */
import { resolve } from 'node:path';
import { parseCidr, type Cidr } from '../../config/cidr.js';
import type { Config } from '../../config/config.js';
import { formatConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { applyBlocklist, formatRefusals } from '../../defense/blocklist/apply-blocklist.js';
import { OfflineBanControl, type ProtectedBlocks } from '../../defense/blocklist/offline-ban-control.js';
import { parseBlocklist } from '../../defense/blocklist/parse-blocklist.js';
import { readBlocklist, sourceOf } from '../../defense/blocklist/read-blocklist.js';
import { collectSightings, formatSightings, type ExportFormat } from '../../defense/blocklist/scanner-export.js';
import { openStore } from '../../store/open-store.js';
import { systemClock } from '../../util/clock.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { parseDuration } from './events.js';

export const blocklistUsage = `Usage:
  ghostguard blocklist import FILE|URL (--config FILE | --store DB) [options]
  ghostguard blocklist export (--config FILE | --store DB) [--format txt|json|csv] [--since DURATION]

import: adds the addresses of a blocklist (one address or CIDR per line, # comments; or JSON: an
array, or an object with an "ipaddress" array) to the guard's bans, source "blocklist".
  --expires DURATION  how long the bans last, e.g. 12h, 7d (default 7d), or "never"
  --protect CIDR      never ban this address or block (repeatable; with --config the provider's
                      configured addresses and the LAN are protected too)
  --timeout DURATION  for a URL: give up after this long (default 30s)
export: the scanner addresses the guard has seen (first/last seen, requests, family).
  --format txt|json|csv  (default txt, APIBAN style: one address per line)
  --since DURATION       only scanners seen in the last DURATION`;

export async function blocklistCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('blocklist', blocklistUsage, args, io, {
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      store: { type: 'string' },
      expires: { type: 'string', default: '7d' },
      protect: { type: 'string', multiple: true },
      timeout: { type: 'string', default: '30s' },
      format: { type: 'string', default: 'txt' },
      since: { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  const [action, ...rest] = parsed.positionals;
  if (action !== 'import' && action !== 'export') return usage('say import or export');

  let config: Config | null = null;
  let path: string;
  if (v.config !== undefined) {
    const result = loadConfig(resolve(io.cwd, v.config));
    if (!result.ok) {
      for (const error of result.errors) io.err(`${formatConfigError(error)}\n`);
      return 1;
    }
    config = result.config;
    path = v.store !== undefined ? resolve(io.cwd, v.store) : config.store;
  } else if (v.store !== undefined) path = resolve(io.cwd, v.store);
  else return usage("give --config FILE (the guard's config) or --store DB");

  if (action === 'export') {
    if (rest.length > 0) return usage(`export takes no argument (got ${rest[0]})`);
    if (v.format !== 'txt' && v.format !== 'json' && v.format !== 'csv') return usage('--format must be txt, json or csv');
    const since = v.since === undefined ? undefined : parseDuration(v.since);
    if (since === null) return usage('--since takes a duration such as 30m, 12h or 7d');
    return withStore(path, io, (store) => {
      const now = Date.now();
      const collected = collectSightings(store.events, since === undefined ? {} : { since: now - since });
      io.out(formatSightings(collected, v.format as ExportFormat, now));
      return 0;
    });
  }

  if (rest.length !== 1) return usage('import takes one FILE or URL');
  const durationMs = v.expires === 'never' ? null : parseDuration(v.expires);
  if ((durationMs === null && v.expires !== 'never') || durationMs === 0) return usage('--expires takes a duration such as 12h or 7d, or "never"');
  const timeoutMs = parseDuration(v.timeout);
  if (timeoutMs === null) return usage('--timeout takes a duration such as 30s');
  const extra: Cidr[] = [];
  for (const text of v.protect ?? []) {
    const cidr = parseCidr(text.trim());
    if (typeof cidr === 'string') return usage(`--protect ${text}: ${cidr}`);
    extra.push(cidr);
  }
  const protectedBlocks = protectedFromConfig(config);
  if (extra.length > 0) protectedBlocks.push({ refusal: 'provider', label: '--protect', cidrs: extra });
  if (config === null && extra.length === 0) {
    io.err('ghostguard blocklist: without --config the provider and the LAN are unknown here; the running guard refuses them when it loads the bans\n');
  }

  const name = rest[0]!;
  const source = sourceOf(/^https?:\/\//i.test(name) ? name : resolve(io.cwd, name));
  const text = await readBlocklist(source, { timeoutMs });
  if (!text.ok) {
    io.err(`ghostguard blocklist: ${text.error}\n`);
    return 1;
  }
  const list = parseBlocklist(text.text);
  if (!list.ok) {
    io.err(`ghostguard blocklist: ${name}: ${list.error}\n`);
    return 1;
  }
  return withStore(path, io, (store) => {
    const bans = new OfflineBanControl(store.bans, protectedBlocks, () => Date.now());
    const result = applyBlocklist(bans, list.entries, { name, durationMs });
    const written = bans.commit();
    const until = durationMs === null ? 'until removed' : `until ${new Date(Date.now() + durationMs).toISOString()}`;
    io.out(`Imported ${written} bans from ${name} (${list.format}, ${list.entries.length} entries), ${until}.\n`);
    if (result.alreadyBanned > 0) io.out(`Left ${result.alreadyBanned} addresses already banned for another reason as they were.\n`);
    if (list.overLimit > 0) io.out(`Ignored ${list.overLimit} entries past the limit of ${list.entries.length}.\n`);
    if (list.invalid > 0) {
      io.err(`Skipped ${list.invalid} bad entries:\n`);
      for (const p of list.problems) io.err(`  ${name}:${p.line}: "${p.excerpt}": ${p.message}\n`);
    }
    const refused = formatRefusals(result.refused);
    if (refused !== 'none') {
      io.err(`Refused ${refused}:\n`);
      for (const e of result.refusedExamples) io.err(`  ${e.address}: ${e.message}\n`);
    }
    return 0;
  });
}

function withStore(path: string, io: CliIo, body: (store: ReturnType<typeof openStore>) => number): number {
  let store;
  try {
    store = openStore(path, { clock: systemClock });
  } catch (error) {
    io.err(`ghostguard blocklist: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    return body(store);
  } finally {
    store.close();
  }
}

/** The provider's configured addresses and the LAN, which a blocklist must never ban. */
function protectedFromConfig(config: Config | null): ProtectedBlocks[] {
  if (config === null) return [];
  const provider: Cidr[] = [...config.provider.trusted.cidrs];
  const registrar = config.provider.registrar;
  if (registrar !== null && registrar.kind !== 'domain') {
    const cidr = parseCidr(registrar.host);
    if (typeof cidr !== 'string') provider.push(cidr);
  }
  const lan: Cidr[] = [...config.lan.allow.cidrs];
  const listen = parseCidr(config.lan.listen.address);
  if (typeof listen !== 'string' && !listen.words.every((w) => w === 0)) lan.push(listen);
  return [
    { refusal: 'provider', label: 'provider', cidrs: provider },
    { refusal: 'lan', label: 'lan', cidrs: lan },
  ];
}
