/**
 * The scanners the guard has seen, as a blocklist others can import: every source address of a blocked
 * request on the WAN leg, with when it was first and last seen, how many requests it sent and the
 * scanner families it was taken for. Read from the event store page by page (bounded: at most
 * `maxRows` rows are read and `maxSources` addresses kept), and written as APIBAN-style text, JSON or
 * CSV.
 */
import type { EventFilter, EventStore } from '../../store/event-store.js';

export interface ScannerSighting {
  readonly address: string;
  /** ms since the epoch. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Requests blocked. */
  readonly count: number;
  /** Scanner families, most requests first; empty when no fingerprint matched. */
  readonly families: readonly string[];
}

export interface CollectOptions {
  readonly since?: number;
  /** Default 1,000,000 rows. */
  readonly maxRows?: number;
  /** Default 100,000 addresses. */
  readonly maxSources?: number;
}

export interface CollectedSightings {
  /** Most requests first. */
  readonly sightings: readonly ScannerSighting[];
  /** True when a bound was reached and the list is not complete. */
  readonly truncated: boolean;
}

interface Acc {
  firstSeen: number;
  lastSeen: number;
  count: number;
  families: Map<string, number>;
}

export function collectSightings(events: EventStore, options: CollectOptions = {}): CollectedSightings {
  const maxRows = options.maxRows ?? 1_000_000;
  const maxSources = options.maxSources ?? 100_000;
  const filter: EventFilter = { leg: 'wan', ...(options.since !== undefined ? { since: options.since } : {}) };
  const bySource = new Map<string, Acc>();
  let cursor: string | null = null;
  let rows = 0;
  let truncated = false;
  do {
    const page = events.query({ ...filter, limit: 1000, cursor });
    for (const e of page.events) {
      rows++;
      if (e.overflow) continue;
      const address = e.flow.remoteAddress;
      let acc = bySource.get(address);
      if (acc === undefined) {
        if (bySource.size >= maxSources) {
          truncated = true;
          continue;
        }
        acc = { firstSeen: e.time, lastSeen: e.lastTime, count: 0, families: new Map() };
        bySource.set(address, acc);
      }
      acc.firstSeen = Math.min(acc.firstSeen, e.time);
      acc.lastSeen = Math.max(acc.lastSeen, e.lastTime);
      acc.count += e.count;
      if (e.family !== null) acc.families.set(e.family, (acc.families.get(e.family) ?? 0) + e.count);
    }
    cursor = page.nextCursor;
    if (cursor !== null && rows >= maxRows) truncated = true;
  } while (cursor !== null && rows < maxRows);

  const sightings = [...bySource].map(([address, a]) => ({
    address,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    count: a.count,
    families: [...a.families].sort((x, y) => y[1] - x[1]).map(([family]) => family),
  }));
  sightings.sort((a, b) => b.count - a.count || a.address.localeCompare(b.address));
  return { sightings, truncated };
}

export type ExportFormat = 'txt' | 'json' | 'csv';

const iso = (ms: number): string => new Date(ms).toISOString();

/** CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatSightings(collected: CollectedSightings, format: ExportFormat, now: number): string {
  const { sightings, truncated } = collected;
  if (format === 'json') {
    const ipaddress = sightings.map((s) => s.address);
    const scanners = sightings.map((s) => ({ ...s, firstSeen: iso(s.firstSeen), lastSeen: iso(s.lastSeen) }));
    return `${JSON.stringify({ generated: iso(now), truncated, ipaddress, scanners }, null, 2)}\n`;
  }
  if (format === 'csv') {
    const lines = ['address,first_seen,last_seen,count,family'];
    for (const s of sightings) {
      lines.push([s.address, iso(s.firstSeen), iso(s.lastSeen), String(s.count), s.families.join(' ')].map(csvField).join(','));
    }
    return `${lines.join('\n')}\n`;
  }
  const lines = [
    '# ghostguard: scanner addresses seen on the WAN leg, one per line (APIBAN style)',
    `# generated ${iso(now)}; ${sightings.length} addresses${truncated ? ' (truncated: a limit was reached)' : ''}`,
    '# address  # first seen, last seen, requests, family',
  ];
  for (const s of sightings) {
    const family = s.families.length > 0 ? `, ${s.families.join(' ')}` : '';
    lines.push(`${s.address}  # ${iso(s.firstSeen)}, ${iso(s.lastSeen)}, ${s.count}${family}`);
  }
  return `${lines.join('\n')}\n`;
}
