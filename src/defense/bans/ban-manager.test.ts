import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../config/address-set.js';
import { DEFENSE_DEFAULTS } from '../../config/defense-config.js';
import { openStore } from '../../store/open-store.js';
import { silentLogger, type Logger } from '../../transport/logger.js';
import { ManualClock } from '../../util/clock.js';
import type { BanChange } from './ban-control.js';
import { BanManager, type BanManagerOptions } from './ban-manager.js';
import { banProtection } from './ban-protection.js';

const HOUR = 3_600_000;

function manager(over: Partial<BanManagerOptions> = {}) {
  const clock = new ManualClock();
  const changes: BanChange[] = [];
  const bans = new BanManager({ config: DEFENSE_DEFAULTS.bans, dryRun: false, clock, logger: silentLogger, store: null, ...over });
  bans.subscribe((c) => changes.push(c));
  return { clock, bans, changes };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (msg: string): void => void lines.push(msg);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('BanManager', () => {
  it('bans an address for the default hour, emits and logs it, and lets it expire', () => {
    const logger = recordingLogger();
    const { clock, bans, changes } = manager({ logger });
    const outcome = bans.add({ address: '198.51.100.66', reason: 'flood', source: 'auto' });
    expect(outcome).toMatchObject({ ok: true, dryRun: false, ban: { address: '198.51.100.66', strikes: 1, expiresAt: clock.now() + HOUR } });
    expect(bans.isBanned('198.51.100.66')).toBe(true);
    expect(bans.isBanned('::ffff:198.51.100.66')).toBe(true);
    expect(bans.isBanned('198.51.100.67')).toBe(false);
    expect(logger.lines).toContain('banned 198.51.100.66 for 1 h: flood');
    expect(changes).toEqual([{ kind: 'added', ban: (outcome as { ban: unknown }).ban, dryRun: false }]);
    clock.advance(HOUR);
    expect(bans.isBanned('198.51.100.66')).toBe(false); // exact at expiry, before any purge
    expect(bans.purgeExpired()).toBe(1);
    expect(changes.at(-1)).toMatchObject({ kind: 'expired', ban: { address: '198.51.100.66' } });
    expect(bans.list()).toEqual([]);
  });

  it('doubles the ban of a repeat offender up to the maximum (1 h, 2 h, 4 h … 1 week)', () => {
    const { clock, bans } = manager();
    const hours: number[] = [];
    for (let i = 0; i < 10; i++) {
      const outcome = bans.add({ address: '203.0.113.9', reason: 'scanner', source: 'auto' });
      if (!outcome.ok) throw new Error(outcome.message);
      hours.push((outcome.ban.expiresAt! - outcome.ban.createdAt) / HOUR);
      clock.advance(outcome.ban.expiresAt! - clock.now());
      bans.purgeExpired();
    }
    expect(hours).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 168, 168]);
  });

  it('never bans the provider, the LAN or a registered phone: refuses with the reason', () => {
    const protect = banProtection({
      isProvider: (a) => a === '203.0.113.10',
      providerBlocks: () => [],
      lanAllow: (AddressSet.parse(['10.77.0.0/24', '198.18.0.0/15']) as { set: AddressSet }).set,
      phoneAddresses: () => ['198.18.7.7'],
    });
    const { bans, changes } = manager({ protect });
    expect(bans.add({ address: '203.0.113.10', reason: 'flood', source: 'auto' })).toMatchObject({ ok: false, refused: 'provider' });
    expect(bans.add({ address: '10.77.0.20', reason: 'x', source: 'manual' })).toMatchObject({ ok: false, refused: 'lan' });
    expect(bans.add({ address: '10.0.0.0/8', reason: 'x', source: 'blocklist' })).toMatchObject({ ok: false, refused: 'lan' });
    expect(bans.add({ address: '198.18.7.7', reason: 'x', source: 'auto' })).toMatchObject({ ok: false, refused: 'phone' });
    expect(bans.add({ address: '198.18.0.0/16', reason: 'x', source: 'manual' })).toMatchObject({ ok: false, refused: 'phone' });
    expect(bans.add({ address: 'not-an-ip', reason: 'x', source: 'manual' })).toMatchObject({ ok: false, refused: 'invalid' });
    // A public address in lan.allow (a VPS guard's internet phones) that is no registered phone may be banned.
    expect(bans.add({ address: '198.18.9.9', reason: 'password guessing', source: 'auto' })).toMatchObject({ ok: true });
    expect(changes).toHaveLength(1);
  });

  it('matches CIDR blocks, keeps manual bans until removed, and removes', () => {
    const { clock, bans, changes } = manager();
    expect(bans.add({ address: '192.0.2.77/24', reason: 'blocklist', source: 'blocklist' })).toMatchObject({ ok: true, ban: { address: '192.0.2.0/24' } });
    expect(bans.add({ address: '2001:db8:66::/48', reason: 'blocklist', source: 'blocklist' })).toMatchObject({ ok: true });
    expect(bans.add({ address: '198.51.100.1', reason: 'by hand', source: 'manual', durationMs: null })).toMatchObject({ ok: true, ban: { expiresAt: null } });
    expect(bans.isBanned('192.0.2.200')).toBe(true);
    expect(bans.isBanned('192.0.3.1')).toBe(false);
    expect(bans.isBanned('2001:db8:66:1::5')).toBe(true);
    expect(bans.isBanned('2001:db8:67::5')).toBe(false);
    clock.advance(400 * 86_400_000);
    bans.purgeExpired();
    expect(bans.isBanned('198.51.100.1')).toBe(true);
    expect(bans.isBanned('192.0.2.200')).toBe(false);
    expect(bans.remove('198.51.100.1')).toBe(true);
    expect(bans.remove('198.51.100.1')).toBe(false);
    expect(bans.isBanned('198.51.100.1')).toBe(false);
    expect(changes.map((c) => c.kind)).toEqual(['added', 'added', 'added', 'expired', 'expired', 'removed']);
    // An automatic trigger never shortens a manual ban in force.
    bans.add({ address: '203.0.113.50', reason: 'by hand', source: 'manual', durationMs: null });
    expect(bans.add({ address: '203.0.113.50', reason: 'flood', source: 'auto' })).toMatchObject({ ok: true, ban: { reason: 'by hand', expiresAt: null } });
    expect(changes).toHaveLength(7);
  });

  it('dry run: records, lists and emits would-be automatic bans, enforces none; manual bans still apply', () => {
    const logger = recordingLogger();
    const { bans, changes } = manager({ dryRun: true, logger });
    expect(bans.add({ address: '198.51.100.66', reason: 'flood', source: 'auto' })).toMatchObject({ ok: true, dryRun: true });
    expect(bans.isBanned('198.51.100.66')).toBe(false);
    expect(bans.list().map((b) => b.address)).toEqual(['198.51.100.66']);
    expect(bans.isDryRun('198.51.100.66')).toBe(true);
    expect(changes[0]).toMatchObject({ kind: 'added', dryRun: true });
    expect(logger.lines).toContain('dry run: would ban 198.51.100.66 for 1 h: flood');
    expect(bans.add({ address: '198.51.100.67', reason: 'by hand', source: 'manual' })).toMatchObject({ ok: true, dryRun: false });
    expect(bans.isBanned('198.51.100.67')).toBe(true);
  });

  it('persists bans in the store, loads them at start, and adds 10,000 blocklist entries quickly', async () => {
    const clock = new ManualClock();
    const store = openStore(':memory:', { clock });
    try {
      const first = new BanManager({ config: DEFENSE_DEFAULTS.bans, dryRun: false, clock, logger: silentLogger, store: store.bans });
      const started = performance.now();
      for (let i = 0; i < 10_000; i++) {
        first.add({ address: `100.${64 + (i >> 8)}.${i & 255}.0/24`, reason: 'imported', source: 'blocklist', durationMs: null });
      }
      const addMs = performance.now() - started;
      first.add({ address: '198.51.100.66', reason: 'flood', source: 'auto' });
      await Promise.resolve(); // the journal writes in a microtask
      expect(store.bans.list().length).toBe(10_001);
      expect(addMs).toBeLessThan(2_000);
      clock.advance(2 * HOUR);
      const second = new BanManager({ config: DEFENSE_DEFAULTS.bans, dryRun: false, clock, logger: silentLogger, store: store.bans });
      expect(second.load()).toBe(10_000); // the expired auto-ban is not loaded, and purged
      expect(store.bans.get('198.51.100.66')).toBeUndefined();
      expect(second.isBanned('100.64.3.9')).toBe(true);
      expect(second.isBanned('100.103.15.200')).toBe(true);
      expect(second.isBanned('100.104.0.1')).toBe(false);
      second.remove('100.64.3.0/24');
      second.flush();
      expect(store.bans.get('100.64.3.0/24')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
