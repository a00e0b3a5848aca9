import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import type { ProbeReport, ProbeTarget } from '../probe/probe-report.js';
import { getJson, readSse, startFixture, until, type WebFixture } from './web-test-kit.js';
import { OPENAPI_FILE } from './web-server.js';

const probed: ProbeTarget[] = [];
let release: (() => void) | undefined;
/** A fake probe: reports every port SILENT, after the test lets it finish. */
async function fakeProbe(target: ProbeTarget): Promise<ProbeReport> {
  probed.push(target);
  await new Promise<void>((done) => (release = done));
  return {
    host: target.host,
    address: target.host,
    startedAt: Date.now(),
    durationMs: 1,
    results: target.ports.map((port) => ({
      port,
      transport: target.transport,
      verdict: 'SILENT' as const,
      invite: { status: null, reason: null, agent: null },
      options: { status: null, reason: null, agent: null },
      detail: 'nothing answered',
    })),
  };
}

let f: WebFixture;
beforeAll(async () => {
  f = await startFixture('127.0.43', { probe: fakeProbe });
}, 30_000);
afterAll(async () => {
  await f?.stop();
});

describe('the live feed, bans, metrics, self-test and the OpenAPI description', () => {
  it('GET /api/stream sends stats every second and each blocked event as it is recorded', async () => {
    const { messages, headers } = await readSse(`${f.url}api/stream`, (m) => m.filter((x) => x.event === 'stats').length >= 2 && m.some((x) => x.event === 'event') && m.some((x) => x.event === 'timeline'));
    expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stats = messages.filter((m) => m.event === 'stats');
    expect(stats.length).toBeGreaterThanOrEqual(2);
    expect(stats[1]!.data.totals.messages).toBeGreaterThanOrEqual(stats[0]!.data.totals.messages);
    const event = messages.find((m) => m.event === 'event')!.data;
    expect(event).not.toHaveProperty('id');
    expect(event.source).toMatch(/^127\.0\.43\.\d+:\d+$/);
    expect(event.reasons.length).toBeGreaterThan(0);
    expect(messages.some((m) => m.event === 'lab')).toBe(true);
    const bucket = messages.find((m) => m.event === 'timeline')!.data;
    expect(bucket.t % 60_000).toBe(0);
    expect(Date.now() - bucket.t).toBeLessThan(120_000); // the current minute's bucket
    expect(bucket).toEqual({ t: expect.any(Number), delivered: expect.any(Number), blocked: expect.any(Number), byFamily: expect.any(Object) });
  });

  it('bans: add (201), list, refuse the provider (409) and bad input (422/400/413), remove (204), remove again (404); the feed tells the change', async () => {
    const ours = (m: { event: string; data: { ban?: { address?: string } } }) => m.event === 'ban' && m.data.ban?.address === '203.0.113.0/24';
    const feed = readSse(`${f.url}api/stream`, (m) => m.some(ours));
    await new Promise((done) => setTimeout(done, 200));
    const post = (body: unknown) => getJson(`${f.url}api/bans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const added = await post({ address: '203.0.113.0/24', reason: 'test', durationS: 3600 });
    expect(added.status).toBe(201);
    expect(added.body.ban).toMatchObject({ address: '203.0.113.0/24', reason: 'test', source: 'manual' });
    expect(added.body.ban.expiresAt - added.body.ban.createdAt).toBe(3_600_000);
    expect((await feed).messages.find(ours)!.data).toMatchObject({ kind: 'added', ban: { address: '203.0.113.0/24' } });
    expect((await getJson(`${f.url}api/bans`)).body.bans.map((b: { address: string }) => b.address)).toContain('203.0.113.0/24');

    const refused = await post({ address: '127.0.43.2' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('GG_BAN_REFUSED');
    expect((await post({ address: 'not-an-ip' })).status).toBe(422);
    expect((await post({ address: '198.51.100.1', durationS: -5 })).status).toBe(422);
    expect((await post([1, 2])).status).toBe(422);
    expect((await post('{"address":')).body.error.code).toBe('GG_BAD_JSON');
    expect((await post({ address: '198.51.100.1', reason: 'x'.repeat(20_000) })).status).toBe(413);

    const del = await fetch(`${f.url}api/bans/${encodeURIComponent('203.0.113.0/24')}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await getJson(`${f.url}api/bans/${encodeURIComponent('203.0.113.0/24')}`, { method: 'DELETE' })).status).toBe(404);
    // (The defense may have banned the lab's flood meanwhile: only our ban must be gone.)
    expect((await getJson(`${f.url}api/bans`)).body.bans.map((b: { address: string }) => b.address)).not.toContain('203.0.113.0/24');
  });

  it('GET /metrics speaks the Prometheus text format with the guard counters', async () => {
    await until('a delivered call', () => f.lab.guard.stats().delivered >= 1, 20_000);
    const res = await fetch(`${f.url}metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const lines = text.trimEnd().split('\n');
    // Every sample line belongs to a family announced by HELP and TYPE just before.
    const typed = new Map<string, string>();
    for (const line of lines) {
      const t = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
      if (t) typed.set(t[1]!, t[2]!);
      else if (!line.startsWith('# HELP ')) {
        const m = /^([a-z_]+?)(_bucket|_sum|_count)?(\{[^}]*\})? (\S+)$/.exec(line);
        expect(m, line).not.toBeNull();
        const name = typed.has(m![1]!) ? m![1]! : `${m![1]}${m![2] ?? ''}`;
        expect(typed.has(name), line).toBe(true);
        expect(Number.isNaN(Number(m![4])) && m![4] !== 'NaN', line).toBe(false);
      }
    }
    const value = (sample: string) => Number(lines.find((l) => l.startsWith(`${sample} `))?.split(' ')[1]);
    expect(value('ghostguard_messages_total{leg="wan",method="INVITE"}')).toBeGreaterThan(0);
    expect(value('ghostguard_verdicts_total{leg="wan",verdict="drop"}')).toBeGreaterThan(0);
    expect(value('ghostguard_registrations')).toBe(1);
    expect(value('ghostguard_provider_registered')).toBe(1);
    expect(value('ghostguard_relay_latency_seconds_count')).toBeGreaterThan(0);
    expect(value('ghostguard_relay_latency_seconds_bucket{le="+Inf"}')).toBe(value('ghostguard_relay_latency_seconds_count'));
    expect(typed.get('ghostguard_relay_latency_seconds')).toBe('histogram');
    expect(typed.get('ghostguard_bans')).toBe('gauge');
  });

  it('POST /api/selftest probes the guard\'s own WAN port, one run at a time', async () => {
    const first = getJson(`${f.url}api/selftest`, { method: 'POST' });
    await until('the probe started', () => release !== undefined);
    const second = await getJson(`${f.url}api/selftest`, { method: 'POST' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('GG_BUSY');
    release!();
    const { status, body } = await first;
    expect(status).toBe(200);
    expect(probed[0]).toEqual({ host: '127.0.43.3', ports: [f.lab.plan().guard.wan.port], transport: 'udp' });
    expect(body.protected).toBe(true);
    expect(body.summary.en).toMatch(/^Protected/);
    expect(body.summary.ja.length).toBeGreaterThan(0);
  });

  it('docs/openapi.yaml describes every route the server has, and the server serves every path in it', async () => {
    const doc = parse(readFileSync(OPENAPI_FILE, 'utf8')) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((k) => ['get', 'post', 'delete', 'put', 'patch'].includes(k)).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = new Set(f.server.routes.map((r) => `${r.method} ${r.path}`));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
    const res = await fetch(`${f.url}openapi.yaml`);
    expect(res.status).toBe(200);
    expect(parse(await res.text())).toEqual(doc);
  });
});
