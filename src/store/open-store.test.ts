import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ban } from './ban-store.js';
import type { Binding } from './binding-store.js';
import { openStore } from './open-store.js';
import { SETTING_KEYS } from './settings-store.js';

function manualClock(start: number): { now(): number; set(t: number): void } {
  let t = start;
  return { now: () => t, set: (v: number) => void (t = v) };
}

const NOW = 1_700_000_000_000;

function binding(token: string, aor: string, expiresAt: number, extra: Partial<Binding> = {}): Binding {
  return {
    token,
    aor,
    phoneContact: `<sip:${token.slice(0, 4)}@10.77.0.20:5062;transport=udp>`,
    flow: { transport: 'udp', localAddress: '10.77.0.1', localPort: 5060, remoteAddress: '10.77.0.20', remotePort: 5062 },
    expiresAt,
    callId: `reg-${token}`,
    cseq: 7,
    createdAt: NOW,
    ...extra,
  };
}

function ban(address: string, expiresAt: number | null, extra: Partial<Ban> = {}): Ban {
  return { address, reason: 'flood', createdAt: NOW, expiresAt, strikes: 1, source: 'auto', ...extra };
}

describe('openStore on a file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gg-store-'));
    path = join(dir, 'ghostguard.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps bindings across close and reopen, so a restarted guard can deliver the next call', () => {
    const clock = manualClock(NOW);
    const a = openStore(path, { clock });
    const alice = binding('a1b2c3d4e5f6a7b8c9d0e1f2', 'sip:alice@voip.example.test', NOW + 3600_000, { account: 'home', lastCallAt: NOW - 5 });
    const alice2 = binding('ffeeddccbbaa998877665544', 'sip:alice@voip.example.test', NOW + 600_000);
    const bob = binding('0123456789abcdef01234567', 'sip:bob@voip.example.test', NOW + 60_000);
    a.bindings.put(alice);
    a.bindings.put(alice2);
    a.bindings.put(bob);
    a.close();

    const b = openStore(path, { clock });
    expect(b.bindings.size()).toBe(3);
    expect(b.bindings.getByToken(alice.token)).toEqual(alice);
    expect(b.bindings.getByToken(bob.token)).toEqual(bob);
    expect('account' in b.bindings.getByToken(bob.token)!).toBe(false);
    expect(b.bindings.listByAor('sip:alice@voip.example.test').map((x) => x.token).sort()).toEqual([alice2.token, alice.token].sort());
    expect(b.bindings.getByToken('nope')).toBeUndefined();
    b.close();
  });

  it('replaces a binding on refresh, removes one on de-registration, purges the expired', () => {
    const clock = manualClock(NOW);
    const s = openStore(path, { clock });
    const t = 'a1b2c3d4e5f6a7b8c9d0e1f2';
    s.bindings.put(binding(t, 'sip:alice@voip.example.test', NOW + 60_000));
    s.bindings.put(binding(t, 'sip:alice@voip.example.test', NOW + 120_000, { cseq: 8 }));
    expect(s.bindings.all()).toHaveLength(1);
    expect(s.bindings.getByToken(t)).toMatchObject({ cseq: 8, expiresAt: NOW + 120_000 });
    s.bindings.put(binding('bbbbbbbbbbbbbbbbbbbbbbbb', 'sip:bob@voip.example.test', NOW + 30_000));
    clock.set(NOW + 30_000);
    expect(s.bindings.purgeExpired().map((b) => b.token)).toEqual(['bbbbbbbbbbbbbbbbbbbbbbbb']);
    expect(s.bindings.remove(t)).toBe(true);
    expect(s.bindings.remove(t)).toBe(false);
    s.close();
    const again = openStore(path, { clock });
    expect(again.bindings.all()).toEqual([]);
    again.close();
  });

  it('hands out bindings that cannot be changed behind its back', () => {
    const s = openStore(path, { clock: manualClock(NOW) });
    const b = binding('a1b2c3d4e5f6a7b8c9d0e1f2', 'sip:alice@voip.example.test', NOW + 1);
    s.bindings.put(b);
    (b as { cseq: number }).cseq = 99;
    const got = s.bindings.getByToken(b.token)!;
    expect(got.cseq).toBe(7);
    expect(() => {
      (got as { cseq: number }).cseq = 100;
    }).toThrow(TypeError);
    s.close();
  });

  it('keeps bans and settings (the chosen WAN port) across restarts', () => {
    const clock = manualClock(NOW);
    const a = openStore(path, { clock });
    a.bans.put(ban('198.51.100.66', NOW + 3600_000, { family: 'sipvicious', strikes: 2 }));
    a.bans.put(ban('203.0.113.0/24', null, { source: 'manual', reason: 'operator' }));
    a.settings.set(SETTING_KEYS.wanPort, '43121');
    a.close();
    const b = openStore(path, { clock });
    expect(b.bans.get('198.51.100.66')).toEqual(ban('198.51.100.66', NOW + 3600_000, { family: 'sipvicious', strikes: 2 }));
    expect(b.bans.get('203.0.113.0/24')).toMatchObject({ expiresAt: null, source: 'manual' });
    expect('family' in b.bans.get('203.0.113.0/24')!).toBe(false);
    expect(b.settings.get(SETTING_KEYS.wanPort)).toBe('43121');
    b.close();
  });

  it('runs in WAL mode', () => {
    openStore(path, { clock: manualClock(NOW) }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('explains a store it cannot open', () => {
    expect(() => openStore(join(dir, 'no', 'such', 'dir', 'gg.db'), { clock: manualClock(NOW) })).toThrow(
      expect.objectContaining({ code: 'GG_ERR_STORE', message: expect.stringContaining('directory does not exist') }),
    );
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    expect(() => openStore(junk, { clock: manualClock(NOW) })).toThrow(expect.objectContaining({ code: 'GG_ERR_STORE' }));
  });
});

describe('openStore(":memory:")', () => {
  it('lists, filters and expires bans; imports many at once', () => {
    const clock = manualClock(NOW);
    const s = openStore(':memory:', { clock });
    s.bans.putMany([
      ban('198.51.100.1', NOW + 10, { createdAt: NOW - 3 }),
      ban('198.51.100.2', NOW + 20, { createdAt: NOW - 2 }),
      ban('192.0.2.0/24', null, { createdAt: NOW - 1, source: 'blocklist' }),
    ]);
    expect(s.bans.list().map((b) => b.address)).toEqual(['198.51.100.1', '198.51.100.2', '192.0.2.0/24']);
    expect(s.bans.list({ activeAt: NOW + 15 }).map((b) => b.address)).toEqual(['198.51.100.2', '192.0.2.0/24']);
    expect(s.bans.list({ source: 'blocklist' }).map((b) => b.address)).toEqual(['192.0.2.0/24']);
    expect(s.bans.list({ limit: 1 })).toHaveLength(1);
    s.bans.put(ban('198.51.100.1', NOW + 1000, { strikes: 2 }));
    expect(s.bans.get('198.51.100.1')?.strikes).toBe(2);
    clock.set(NOW + 20);
    expect(s.bans.purgeExpired()).toBe(1);
    expect(s.bans.remove('192.0.2.0/24')).toBe(true);
    expect(s.bans.remove('192.0.2.0/24')).toBe(false);
    expect(s.bans.list().map((b) => b.address)).toEqual(['198.51.100.1']);
    expect(() => s.bans.put({ ...ban('1.2.3.4', null), source: 'bogus' as never })).toThrow();
    s.close();
  });

  it('reads, writes, deletes and lists settings', () => {
    const s = openStore(':memory:', { clock: manualClock(NOW) });
    expect(s.settings.get(SETTING_KEYS.providerKeepsRequestUri)).toBeUndefined();
    s.settings.set(SETTING_KEYS.providerKeepsRequestUri, 'no');
    s.settings.set(SETTING_KEYS.wanPort, '43121');
    s.settings.set(SETTING_KEYS.wanPort, '43122');
    expect(s.settings.entries()).toEqual([
      ['provider.keeps_request_uri', 'no'],
      ['wan.port', '43122'],
    ]);
    expect(s.settings.delete(SETTING_KEYS.wanPort)).toBe(true);
    expect(s.settings.delete(SETTING_KEYS.wanPort)).toBe(false);
    s.close();
  });

  it('refuses work after close with GG_ERR_STORE_CLOSED, and closes only once', () => {
    const s = openStore(':memory:', { clock: manualClock(NOW) });
    s.close();
    s.close();
    const closed = expect.objectContaining({ code: 'GG_ERR_STORE_CLOSED' });
    expect(() => s.bindings.getByToken('x')).toThrow(closed);
    expect(() => s.bans.list()).toThrow(closed);
    expect(() => s.settings.get('x')).toThrow(closed);
    expect(() => s.events.query()).toThrow(closed);
  });
});
