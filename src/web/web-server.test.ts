import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startFixture, until, type WebFixture } from './web-test-kit.js';

let f: WebFixture;
beforeAll(async () => {
  f = await startFixture('127.0.41');
  // Scanners blocked and a provider call delivered.
  await until('blocked events and a delivered call', () => f.lab.tally().ghostCalls.blocked >= 20 && f.lab.guard.stats().delivered >= 1, 20_000);
}, 30_000);
afterAll(async () => {
  await f?.stop();
});

describe('the web API over a running guard (DemoLab)', () => {
  it('GET /api/status tells what runs, with the lab tally in the demo', async () => {
    const { status, body, headers } = await getJson(`${f.url}api/status`);
    expect(status).toBe(200);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(body.demo).toBe(true);
    expect(body.version).toBe('0.0.0-test');
    expect(body.guard.wanPort).toBe(f.lab.plan().guard.wan.port);
    expect(body.guard.listening.map((l: { leg: string }) => l.leg).sort()).toEqual(['lan', 'wan']);
    expect(body.tally.ghostCalls.blocked).toBeGreaterThan(0);
    expect(body.defense).toEqual({ nftables: null, blocklists: [] }); // the demo has neither
    expect(body.lang).toBeNull();
  });

  it('GET /api/stats counts delivered provider calls and blocked requests like the guard does', async () => {
    const { body } = await getJson(`${f.url}api/stats`);
    const g = f.lab.guard.stats();
    expect(body.totals.delivered).toBeGreaterThanOrEqual(1);
    expect(body.totals.delivered).toBeLessThanOrEqual(g.delivered);
    expect(body.totals.blocked).toBeGreaterThan(0);
    expect(body.totals.messages).toBeGreaterThan(body.totals.blocked);
    expect(body.guard.verdicts['wan drop']).toBeGreaterThan(0);
    // Every provider call that rang the phone was delivered by the guard.
    expect(g.delivered).toBeGreaterThanOrEqual(f.lab.tally().providerCalls.rang);
  });

  it('GET /api/events pages the record with filters; /raw gives the stored bytes', async () => {
    const first = await getJson(`${f.url}api/events?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(2);
    const e = first.body.events[0];
    expect(e).toMatchObject({ leg: 'wan', transport: 'udp' });
    expect(e.source).toMatch(/^127\.0\.41\.\d+:\d+$/);
    expect(e.explanation.en.length).toBeGreaterThan(10);
    expect(e).not.toHaveProperty('raw');
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await getJson(`${f.url}api/events?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.events[0].id).toBeLessThan(first.body.events[1].id);

    const reason = e.reasons[0];
    const filtered = await getJson(`${f.url}api/events?reason=${encodeURIComponent(reason)}&limit=50`);
    expect(filtered.body.events.length).toBeGreaterThan(0);
    for (const row of filtered.body.events) expect(row.reasons).toContain(reason);

    const withRaw = (await getJson(`${f.url}api/events?limit=100`)).body.events.find((r: { hasRaw: boolean }) => r.hasRaw);
    const raw = await fetch(`${f.url}api/events/${withRaw.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await raw.text()).toMatch(/^[A-Z]+ \S+ SIP\/2\.0\r\n/);
    expect((await getJson(`${f.url}api/events/999999999/raw`)).status).toBe(404);
    expect((await getJson(`${f.url}api/events/abc/raw`)).body.error.code).toBe('GG_BAD_REQUEST');
  });

  it('refuses bad query parameters with a coded 400', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'leg=moon', 'since=-1', 'cursor=1%20OR%201%3D1', `text=${'a'.repeat(300)}`]) {
      const { status, body } = await getJson(`${f.url}api/events?${q}`);
      expect(status, q).toBe(400);
      expect(body.error.code, q).toBe('GG_BAD_REQUEST');
    }
    expect((await getJson(`${f.url}api/timeline?minutes=1441`)).status).toBe(400);
  });

  it('GET /api/sources, /api/families, /api/reasons tally the record', async () => {
    const sources = (await getJson(`${f.url}api/sources?limit=3`)).body.sources;
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.length).toBeLessThanOrEqual(3);
    expect(sources[0]).toEqual({ key: expect.stringMatching(/^127\.0\.41\./), rows: expect.any(Number), events: expect.any(Number) });
    // The scanners keep going: the tally lies between the counts taken before and after it.
    const before = f.store.events.count().events;
    const reasons = (await getJson(`${f.url}api/reasons`)).body.reasons;
    const after = f.store.events.count().events;
    const total = reasons.reduce((n: number, r: { events: number }) => n + r.events, 0);
    expect(total).toBeGreaterThanOrEqual(before);
    expect(total).toBeLessThanOrEqual(after);
    expect(Array.isArray((await getJson(`${f.url}api/families`)).body.families)).toBe(true);
  });

  it('GET /api/timeline has per-minute buckets fed live', async () => {
    const { body } = await getJson(`${f.url}api/timeline?minutes=5`);
    expect(body.buckets).toHaveLength(5);
    const last = body.buckets[4];
    expect(last.t % 60_000).toBe(0);
    expect(body.buckets.reduce((n: number, b: { blocked: number }) => n + b.blocked, 0)).toBeGreaterThan(0);
  });

  it('GET /api/registrations shows the phone, with only 4 characters of the alias token', async () => {
    const { body } = await getJson(`${f.url}api/registrations`);
    expect(body.registrations).toHaveLength(1);
    const r = body.registrations[0];
    expect(r.aor).toBe('sip:alice@voip.demo.test');
    const full = f.store.bindings.all()[0]!.token;
    expect(r.token).toBe(`${full.slice(0, 4)}…`);
    expect(JSON.stringify(body)).not.toContain(full);
  });

  it('GET /api/provider tells the provider health and the trusted addresses', async () => {
    const { body } = await getJson(`${f.url}api/provider`);
    expect(body.domain).toBe('voip.demo.test');
    expect(body.reachable).toBe(true);
    expect(body.registered).toBe(true);
    expect(body.registrations[0]).toMatchObject({ aor: 'sip:alice@voip.demo.test', status: 200 });
    expect(body.addresses.join(' ')).toContain('127.0.41.2');
    expect(body.keepsRequestUri).toBe(true);
  });

  it('answers unknown paths 404 and wrong methods 405, as coded JSON', async () => {
    const none = await getJson(`${f.url}api/nothing`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('GG_NOT_FOUND');
    const wrong = await getJson(`${f.url}api/status`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});
