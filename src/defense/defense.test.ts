import { describe, expect, it } from 'vitest';
import { AddressSet } from '../config/address-set.js';
import { DEFENSE_DEFAULTS, type DefenseConfig } from '../config/defense-config.js';
import { silentLogger } from '../transport/logger.js';
import { ManualClock } from '../util/clock.js';
import { banProtection } from './bans/ban-protection.js';
import { Defense, isInternetAddress } from './defense.js';

const PROVIDER = '203.0.113.10';

function defense(over: Partial<DefenseConfig> = {}) {
  const clock = new ManualClock();
  const protect = banProtection({
    isProvider: (a) => a === PROVIDER,
    providerBlocks: () => [],
    lanAllow: (AddressSet.parse(['10.77.0.0/24']) as { set: AddressSet }).set,
    phoneAddresses: () => [],
  });
  const d = new Defense({ config: { ...DEFENSE_DEFAULTS, ...over }, clock, logger: silentLogger, store: null, protect });
  return { clock, d };
}

/** `perSecond` requests per second from `address` for `seconds`. */
function flood(d: Defense, clock: ManualClock, address: string, perSecond: number, seconds: number): number {
  let limited = 0;
  const gap = 1000 / perSecond;
  for (let i = 0; i < perSecond * seconds && !d.isBanned(address); i++) {
    if (d.rate(address) === 'limited') limited++;
    clock.advance(gap);
  }
  return limited;
}

describe('Defense: triggers', () => {
  it('bans a source that stays rate-limited for flood_s; the provider only stays limited', () => {
    const { clock, d } = defense();
    flood(d, clock, '198.51.100.66', 500, 15);
    expect(d.bans.list()).toMatchObject([{ address: '198.51.100.66', reason: 'flood: over 50 requests/s without pause for 10 s', source: 'auto' }]);
    const limited = flood(d, clock, PROVIDER, 500, 15);
    expect(limited).toBeGreaterThan(6_000);
    expect(d.isBanned(PROVIDER)).toBe(false);
    expect(d.bans.list()).toHaveLength(1);
    expect(d.stats()).toMatchObject({ sources: { size: 2, capacity: 100_000, evictions: 0 }, bans: 1, dryRun: false });
  });

  it('never rate-limits a real provider or phone pace (10 requests/s for an hour)', () => {
    const { clock, d } = defense();
    expect(flood(d, clock, PROVIDER, 10, 3600)).toBe(0);
  });

  it('bans a source after `refused` refusals in the window; banned and flood refusals do not count', () => {
    const { d } = defense();
    for (let i = 0; i < 30; i++) d.refused('198.51.100.7', 'banned', null);
    for (let i = 0; i < 30; i++) d.refused('198.51.100.7', 'flood', null);
    expect(d.bans.list()).toEqual([]);
    for (let i = 0; i < 19; i++) d.refused('198.51.100.7', 'not-from-provider', 'sipvicious');
    expect(d.isBanned('198.51.100.7')).toBe(false);
    d.refused('198.51.100.7', 'not-from-provider', 'sipvicious');
    expect(d.bans.list()).toMatchObject([{ address: '198.51.100.7', family: 'sipvicious', reason: '20 refused requests in 60 s (not-from-provider, sipvicious)' }]);
    // LAN phones are never banned, whatever they are refused for.
    for (let i = 0; i < 40; i++) d.refused('10.77.0.20', 'open-relay', null);
    expect(d.isBanned('10.77.0.20')).toBe(false);
  });

  it('bans a password guesser from the internet, not one on the private LAN', () => {
    const { d } = defense({ password: { ...DEFENSE_DEFAULTS.password, failures: 3 } });
    for (const source of ['198.18.0.66', '10.77.0.30']) {
      for (let i = 0; i < 5; i++) {
        const attempt = { source, aor: 'sip:alice@voip.example.test', credentials: true };
        if (d.passwords.admit(attempt)) d.passwords.outcome(attempt, 401, false);
      }
    }
    expect(d.bans.list().map((b) => b.address)).toEqual(['198.18.0.66']);
  });

  it('expires bans in housekeeping', () => {
    const { clock, d } = defense();
    d.bans.add({ address: '198.51.100.9', reason: 'x', source: 'manual', durationMs: 1_000 });
    clock.advance(1_000);
    expect(d.housekeeping()).toBe(1);
  });

  it('tells internet addresses from private ones', () => {
    expect(isInternetAddress('198.51.100.1')).toBe(true);
    expect(isInternetAddress('2001:db8::1')).toBe(true);
    expect(isInternetAddress('10.1.2.3')).toBe(false);
    expect(isInternetAddress('::ffff:192.168.1.5')).toBe(false);
    expect(isInternetAddress('fe80::1%eth0')).toBe(false);
    expect(isInternetAddress('not an address')).toBe(false);
  });
});
