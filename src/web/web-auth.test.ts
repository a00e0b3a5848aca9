import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSetup, sameToken } from './auth.js';
import { systemClock } from '../util/clock.js';
import { getJson, readSse, startFixture, type WebFixture } from './web-test-kit.js';
import { WebServer } from './web-server.js';
import { Guard } from '../proxy/guard.js';
import type { BanControl } from '../defense/bans/ban-control.js';

const TOKEN = 'correct-horse-battery-staple-42';
let f: WebFixture;
beforeAll(async () => {
  f = await startFixture('127.0.42', {}, { address: '127.0.0.1', port: 0 }, TOKEN);
}, 30_000);
afterAll(async () => {
  await f?.stop();
});

describe('dashboard auth', () => {
  it('is open on loopback, and needs a token of 16+ characters anywhere else', () => {
    expect(authSetup('127.0.0.1', null)).toEqual({ ok: true, token: null });
    expect(authSetup('::1', 'whatever-token-here')).toEqual({ ok: true, token: null });
    const none = authSetup('192.0.2.1', null);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.message).toContain('dashboard.token');
    expect(authSetup('0.0.0.0', 'short').ok).toBe(false);
    expect(authSetup('0.0.0.0', TOKEN)).toEqual({ ok: true, token: TOKEN });
  });

  it('refuses to start off loopback without a token, with a clear message', async () => {
    const server = new WebServer({ guard: f.lab.guard, store: f.store, events: { subscribe: () => () => {}, subscribeCounted: () => () => {} }, bans: f.lab.guard.bans, clock: systemClock, version: 'x' });
    await expect(server.start({ address: '192.0.2.1', port: 0 }, null)).rejects.toMatchObject({ code: 'GG_ERR_WEB_AUTH', message: expect.stringContaining('dashboard.token') });
  });

  it('compares tokens exactly', () => {
    expect(sameToken(TOKEN, TOKEN)).toBe(true);
    expect(sameToken(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(sameToken('', TOKEN)).toBe(false);
  });

  it('answers 401 JSON without the token, on the API and /metrics', async () => {
    for (const path of ['api/status', 'api/events', 'metrics', 'api/stream']) {
      const { status, body, headers } = await getJson(`${f.url}${path}`);
      expect(status, path).toBe(401);
      expect(body.error.code, path).toBe('GG_UNAUTHORIZED');
      expect(headers.get('www-authenticate')).toContain('Bearer');
    }
    expect((await getJson(`${f.url}api/status`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    // ?token= is for the live feed only.
    expect((await getJson(`${f.url}api/status?token=${TOKEN}`)).status).toBe(401);
  });

  it('takes the token as a Bearer header, as the cookie /login sets, and as ?token= on the live feed', async () => {
    expect((await getJson(`${f.url}api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${f.url}metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

    const bad = await fetch(`${f.url}login?token=nope`, { redirect: 'manual' });
    expect(bad.status).toBe(401);
    const login = await fetch(`${f.url}login?token=${TOKEN}`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gg_token=.+; Path=\/; HttpOnly; SameSite=Strict/);
    expect((await getJson(`${f.url}api/bans`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);

    const stream = await readSse(`${f.url}api/stream?token=${TOKEN}`, (m) => m.some((x) => x.event === 'stats'));
    expect(stream.status).toBe(200);
    expect(stream.messages[0]!.event).toBe('stats');
  });

  it('serves the page without the token (it holds no data), with the security headers; only plain file names', async () => {
    const res = await fetch(f.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await fetch(`${f.url}assets/..%2Fweb-server.ts`)).status).toBe(404);
    expect((await fetch(`${f.url}assets/.hidden.js`)).status).toBe(404);
    expect((await fetch(`${f.url}assets/nothing-here.js`)).status).toBe(404);
  });

  it('answers a clear 500 when the page\'s folder is missing', async () => {
    const server = new WebServer({
      guard: f.lab.guard,
      store: f.store,
      events: { subscribe: () => () => {}, subscribeCounted: () => () => {} },
      bans: f.lab.guard.bans,
      clock: systemClock,
      version: 'x',
      publicDir: new URL('./no-such-folder/', import.meta.url),
    });
    const url = await server.start({ address: '127.0.0.1', port: 0 }, null);
    try {
      const { status, body } = await getJson(url);
      expect(status).toBe(500);
      expect(body.error.message).toContain('no-such-folder');
      expect((await getJson(`${url}api/stats`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('answers 503 (not a crash) while the guard is not running', async () => {
    const idle = new Guard(f.lab.guard.config);
    const bans: BanControl = { isBanned: () => false, add: () => ({ ok: false, refused: 'invalid', message: 'no' }), remove: () => false, list: () => [], subscribe: () => () => {} };
    const server = new WebServer({ guard: idle, store: f.store, events: { subscribe: () => () => {}, subscribeCounted: () => () => {} }, bans, clock: systemClock, version: 'x' });
    const url = await server.start({ address: '127.0.0.1', port: 0 }, null);
    try {
      const { status, body } = await getJson(`${url}api/status`);
      expect(status).toBe(503);
      expect(body.error).toEqual({ code: 'GG_UNAVAILABLE', message: 'the guard is not running' });
      expect((await getJson(`${url}api/stats`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
