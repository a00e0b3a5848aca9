/**
 * `GET /metrics`: the guard's counters in the Prometheus text exposition format 0.0.4 — one HELP and
 * one TYPE line per family, label values escaped (backslash, double quote, line feed), counters
 * ending in `_total`, the relay latency as a cumulative histogram in seconds.
 */
import type { WanReadersStats } from '../proxy/wan-readers/wan-readers.js';
import { LATENCY_BUCKETS_S, type GuardStatsSnapshot } from '../proxy/guard-stats.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsInput {
  readonly stats: GuardStatsSnapshot;
  /** Blocked requests by scanner family since start. */
  readonly blockedByFamily: ReadonlyMap<string, number>;
  readonly bansInForce: number;
  readonly bansAdded: number;
  readonly registrations: number;
  readonly providerRegistered: boolean;
  readonly uptimeSeconds: number;
  readonly startTimeSeconds: number;
  /** The WAN reader processes (`Guard.stats().readers`); absent or null when the guard reads alone. */
  readonly readers?: WanReadersStats | null;
}

type Labels = Readonly<Record<string, string>>;

export function renderMetrics(m: MetricsInput): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string, samples: ReadonlyArray<readonly [Labels, number]>, suffix = ''): void => {
    out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) out.push(`${name}${suffix}${labelText(labels)} ${numberText(value)}`);
  };
  family(
    'ghostguard_messages_total',
    'counter',
    'SIP messages received, by leg and request method (responses count as method "response").',
    split(m.stats.messages).map(([leg, method, n]) => [{ leg, method }, n] as const),
  );
  family(
    'ghostguard_verdicts_total',
    'counter',
    'Decisions on requests, by leg and verdict (relay, drop, reject).',
    split(m.stats.verdicts).map(([leg, verdict, n]) => [{ leg, verdict }, n] as const),
  );
  family(
    'ghostguard_drops_total',
    'counter',
    'Requests dropped or refused, by primary reason code.',
    Object.entries(m.stats.drops).map(([reason, n]) => [{ reason }, n] as const),
  );
  family(
    'ghostguard_blocked_by_family_total',
    'counter',
    'Blocked requests by the scanner family their fingerprint named, since start.',
    [...m.blockedByFamily].map(([f, n]) => [{ family: f }, n] as const),
  );
  family('ghostguard_delivered_calls_total', 'counter', 'Provider calls (dialog-initial INVITEs) relayed to a phone.', [[{}, m.stats.delivered]]);
  family('ghostguard_bans', 'gauge', 'Bans in force.', [[{}, m.bansInForce]]);
  family('ghostguard_bans_total', 'counter', 'Bans added since start.', [[{}, m.bansAdded]]);
  family('ghostguard_registrations', 'gauge', 'Live phone registrations (bindings) held by the guard.', [[{}, m.registrations]]);
  family('ghostguard_provider_registered', 'gauge', '1 when at least one account holds a live registration at the provider, else 0.', [
    [{}, m.providerRegistered ? 1 : 0],
  ]);
  if (m.readers != null) {
    family('ghostguard_wan_readers', 'gauge', 'WAN reader processes reading now (wan.readers; 0 while the guard reads its WAN UDP socket itself).', [[{}, m.readers.running]]);
    family('ghostguard_wan_reader_datagrams_total', 'counter', 'Datagrams the WAN reader processes read, by what became of them.', [
      [{ outcome: 'read' }, m.readers.read],
      [{ outcome: 'handed-over' }, m.readers.handedOver],
      [{ outcome: 'shed' }, m.readers.shed],
      [{ outcome: 'unnamed' }, m.readers.unnamed],
    ]);
    family('ghostguard_wan_reader_restarts_total', 'counter', 'WAN reader processes started again after ending on their own.', [[{}, m.readers.restarts]]);
  }
  histogram(out, m.stats);
  family('ghostguard_uptime_seconds', 'gauge', 'Seconds since the guard started serving.', [[{}, m.uptimeSeconds]]);
  family('ghostguard_start_time_seconds', 'gauge', 'When the guard started serving, in seconds since the Unix epoch.', [[{}, m.startTimeSeconds]]);
  return `${out.join('\n')}\n`;
}

function histogram(out: string[], stats: GuardStatsSnapshot): void {
  const name = 'ghostguard_relay_latency_seconds';
  out.push(`# HELP ${name} Time from a request's arrival on one leg to its hand-off on the other.`, `# TYPE ${name} histogram`);
  let cumulative = 0;
  LATENCY_BUCKETS_S.forEach((bound, i) => {
    cumulative += stats.latency.counts[i] ?? 0;
    out.push(`${name}_bucket{le="${numberText(bound)}"} ${cumulative}`);
  });
  out.push(`${name}_bucket{le="+Inf"} ${stats.latency.count}`, `${name}_sum ${numberText(stats.latency.sumSeconds)}`, `${name}_count ${stats.latency.count}`);
}

/** `"wan INVITE" → n` into `[wan, INVITE, n]`. */
function split(counts: Readonly<Record<string, number>>): Array<[string, string, number]> {
  return Object.entries(counts).map(([key, n]) => {
    const space = key.indexOf(' ');
    return space < 0 ? [key, '', n] : [key.slice(0, space), key.slice(space + 1), n];
  });
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}
