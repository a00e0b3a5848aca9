import { describe, expect, it } from 'vitest';
import { GuardStats } from '../proxy/guard-stats.js';
import { escapeLabel, renderMetrics } from './metrics.js';

describe('renderMetrics: Prometheus text format 0.0.4', () => {
  it('escapes label values (backslash, double quote, line feed)', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const stats = new GuardStats();
    const text = renderMetrics({
      stats: stats.snapshot(),
      blockedByFamily: new Map([['evil"fam\nily\\', 3]]),
      bansInForce: 0,
      bansAdded: 0,
      registrations: 0,
      providerRegistered: false,
      uptimeSeconds: 1.5,
      startTimeSeconds: 1_700_000_000,
    });
    expect(text).toContain('ghostguard_blocked_by_family_total{family="evil\\"fam\\nily\\\\"} 3\n');
    expect(text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).every((l) => /^[a-z_]+(\{.*\})? \S+$/.test(l))).toBe(true);
  });

  it('has one HELP and one TYPE per family, and a cumulative latency histogram', () => {
    const stats = new GuardStats();
    stats.message('wan', 'INVITE');
    stats.message('wan', 'FOO');
    stats.verdict('wan', 'drop', 'not-from-provider');
    for (const ms of [0.05, 0.3, 2, 5000]) stats.relayed({ method: 'INVITE', from: 'wan', to: 'lan', ms, initial: true });
    stats.relayed({ method: 'INVITE', from: 'wan', to: 'lan', ms: 1, initial: false });
    stats.relayed({ method: 'INVITE', from: 'lan', to: 'wan', ms: 1, initial: true });
    const s = stats.snapshot();
    expect(s.delivered).toBe(4);
    const text = renderMetrics({ stats: s, blockedByFamily: new Map(), bansInForce: 2, bansAdded: 5, registrations: 1, providerRegistered: true, uptimeSeconds: 10, startTimeSeconds: 1 });
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    expect(text.split('\n').filter((l) => l.startsWith('# HELP ')).length).toBe(types.length);
    expect(text).toContain('ghostguard_messages_total{leg="wan",method="other"} 1');
    expect(text).toContain('ghostguard_drops_total{reason="not-from-provider"} 1');
    expect(text).toContain('ghostguard_bans 2\n');
    expect(text).toContain('ghostguard_provider_registered 1\n');
    const buckets = [...text.matchAll(/^ghostguard_relay_latency_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(buckets.at(-1)).toEqual(['+Inf', 6]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    expect(buckets.find(([le]) => le === '0.0001')![1]).toBe(1); // 0.05 ms
    expect(buckets.find(([le]) => le === '1')![1]).toBe(5); // all but the 5 s one
    expect(text).toContain('ghostguard_relay_latency_seconds_count 6\n');
  });

  it('tells what the WAN reader processes do, when there are any', () => {
    const base = { stats: new GuardStats().snapshot(), blockedByFamily: new Map(), bansInForce: 0, bansAdded: 0, registrations: 0, providerRegistered: true, uptimeSeconds: 1, startTimeSeconds: 1 };
    expect(renderMetrics(base)).not.toContain('ghostguard_wan_readers');
    const readers = { readers: 2, running: 2, restarts: 1, read: 900, handedOver: 40, shed: 3, unnamed: 700, guardReads: false, pids: [10, 11] };
    const text = renderMetrics({ ...base, readers });
    expect(text).toContain('ghostguard_wan_readers 2\n');
    expect(text).toContain('ghostguard_wan_reader_datagrams_total{outcome="read"} 900\n');
    expect(text).toContain('ghostguard_wan_reader_datagrams_total{outcome="handed-over"} 40\n');
    expect(text).toContain('ghostguard_wan_reader_datagrams_total{outcome="unnamed"} 700\n');
    expect(text).toContain('ghostguard_wan_reader_restarts_total 1\n');
  });
});
