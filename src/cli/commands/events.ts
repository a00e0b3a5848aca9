/**
 * `ghostguard events`: the most recent blocked requests, newest first, each with its plain-language
 * explanation. Asks the running guard's API (`--url`, else the dashboard of `--config FILE`, else
 * http://127.0.0.1:8080), or reads a store file offline (`--store DB`; SQLite allows this while the
 * guard runs). Floods show as one row per source and time window, with a count.
 */
import { resolve } from 'node:path';
import type { EventQuery } from '../../store/event-store.js';
import type { StoredEvent } from '../../store/guard-event.js';
import { openStore } from '../../store/open-store.js';
import { systemClock } from '../../util/clock.js';
import type { ApiEvent } from '../../web/event-row.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { API_OPTIONS, apiClient, withApi } from './api-target.js';

export const eventsUsage = `Usage: ghostguard events [--url URL | --config FILE | --store DB] [options]

Lists the most recent requests the guard blocked, newest first, with why. Asks the running guard
(its dashboard API) unless --store names a store file to read offline.
  --url URL        the guard's dashboard (default: from --config, else http://127.0.0.1:8080)
  --config FILE    the guard's config (for its dashboard address and token)
  --token TOKEN    the dashboard token (default: GHOSTGUARD_TOKEN, else the config's)
  --store DB       read this store file instead of asking the guard
  --limit N        rows to show (default 20, at most 1000)
  --since DURATION only the last DURATION, e.g. 30m, 12h, 7d
  --reason CODE    only rows with this reason code (e.g. not-from-provider)
  --source IP      only rows from this address
  --lang en|ja     language of the explanations (default en)
  --json           one JSON object per row`;

export async function eventsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('events', eventsUsage, args, io, {
    options: {
      ...API_OPTIONS,
      store: { type: 'string' },
      limit: { type: 'string', default: '20' },
      since: { type: 'string' },
      reason: { type: 'string' },
      source: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      json: { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  const limit = Number(v.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return usage('--limit must be a whole number from 1 to 1000');
  if (v.lang !== 'en' && v.lang !== 'ja') return usage('--lang must be en or ja');
  const since = v.since === undefined ? undefined : parseDuration(v.since);
  if (since === null) return usage('--since takes a duration such as 30m, 12h or 7d');

  const query: EventQuery = {
    limit,
    ...(since !== undefined ? { since: Date.now() - since } : {}),
    ...(v.reason !== undefined ? { reason: v.reason } : {}),
    ...(v.source !== undefined ? { source: v.source } : {}),
  };
  if (v.store === undefined) return eventsFromApi(v, query, v.lang, v.json === true, io);
  if (v.url !== undefined || v.config !== undefined) return usage('--store reads a file: leave out --url and --config');

  let store;
  try {
    store = openStore(resolve(io.cwd, v.store), { clock: systemClock });
  } catch (error) {
    io.err(`ghostguard events: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const { events } = store.events.query(query);
    if (v.json) {
      for (const event of events) io.out(`${JSON.stringify(toJson(event))}\n`);
    } else if (events.length === 0) {
      io.out('No blocked requests recorded (with these filters).\n');
    } else {
      for (const event of events) io.out(formatEvent(event, v.lang));
    }
    return 0;
  } finally {
    store.close();
  }
}

async function eventsFromApi(
  v: { url?: string | undefined; token?: string | undefined; config?: string | undefined },
  query: EventQuery,
  lang: 'en' | 'ja',
  json: boolean,
  io: CliIo,
): Promise<number> {
  const client = apiClient(v, io, 'events');
  if (typeof client === 'number') return client;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, String(value));
  return withApi(io, 'events', async () => {
    const body = (await client.expect('GET', `/api/events?${params.toString()}`, 200)) as { events: ApiEvent[] };
    if (json) for (const event of body.events) io.out(`${JSON.stringify(event)}\n`);
    else if (body.events.length === 0) io.out('No blocked requests recorded (with these filters).\n');
    else for (const e of body.events) io.out(formatRow({ ...e, address: e.source }, lang));
    return 0;
  });
}

interface Row {
  readonly time: number;
  readonly lastTime: number;
  readonly count: number;
  readonly address: string;
  readonly method: string | null;
  readonly reasons: readonly string[];
  readonly family: string | null;
  readonly explanation: { readonly en: string; readonly ja: string };
}

function formatEvent(e: StoredEvent, lang: 'en' | 'ja'): string {
  return formatRow({ ...e, address: e.flow.remoteAddress }, lang);
}

function formatRow(e: Row, lang: 'en' | 'ja'): string {
  const when = new Date(e.time).toISOString().replace('T', ' ').slice(0, 19);
  const count = e.count > 1 ? ` ×${e.count} (until ${new Date(e.lastTime).toISOString().slice(11, 19)})` : '';
  const head = `${when}  ${e.address}  ${e.method ?? '-'}  ${e.reasons.join(',')}${e.family ? `  [${e.family}]` : ''}${count}`;
  return `${head}\n    ${e.explanation[lang]}\n`;
}

function toJson(e: StoredEvent): Record<string, unknown> {
  const { raw, ...rest } = e;
  return { ...rest, raw: raw ? raw.toString('latin1') : null };
}

/** "30m", "12h", "7d", "45s" → milliseconds; null when not understood. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
