/**
 * The blocklists and the nftables offload against the real ban table (BanManager), not the test double:
 * refusals of the provider and the LAN, dry-run, expiry, all through the BanControl seam.
 */
import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../config/address-set.js';
import { parseCidr, type Cidr } from '../../config/cidr.js';
import { DEFENSE_DEFAULTS } from '../../config/defense-config.js';
import { silentLogger } from '../../transport/logger.js';
import { ManualClock } from '../../util/clock.js';
import { BanManager } from '../bans/ban-manager.js';
import { banProtection } from '../bans/ban-protection.js';
import type { NftResult } from '../nftables/nft-runner.js';
import { NftablesOffload } from '../nftables/nftables-offload.js';
import { BlocklistScheduler } from './blocklist-scheduler.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(dryRun = false) {
  const clock = new ManualClock();
  const lan = AddressSet.parse(['10.77.0.0/24']);
  if (!lan.ok) throw new Error('bad test set');
  const protect = banProtection({
    isProvider: (a) => a === '203.0.113.10',
    providerBlocks: () => [parseCidr('203.0.113.0/28') as Cidr],
    lanAllow: lan.set,
    phoneAddresses: () => [],
  });
  const bans = new BanManager({ config: DEFENSE_DEFAULTS.bans, dryRun, clock, logger: silentLogger, store: null, protect });
  const scripts: string[] = [];
  const runner = { run: async (s: string): Promise<NftResult> => (scripts.push(s), { ok: true, message: '', fatal: false }) };
  const offload = new NftablesOffload({ bans, clock, runner, ports: { udp: [40000], tcp: [] }, isDryRun: (a) => bans.isDryRun(a) });
  return { clock, bans, scripts, offload };
}

describe('blocklists and the offload on the real ban table', () => {
  it('bans a list\'s entries in the kernel, refuses the provider and the LAN, and drops what left the list', async () => {
    const { clock, bans, scripts, offload } = setup();
    await offload.start();
    const texts = ['198.51.100.0/24\n198.51.100.66\n203.0.113.5\n10.77.0.9\n2001:db8:66::/48\n', '2001:db8:66::/48\n'];
    const scheduler = new BlocklistScheduler({
      bans,
      clock,
      feeds: [{ source: { url: 'http://lists.test/x' }, everyMs: 600_000 }],
      read: async () => ({ ok: true, text: texts.shift() ?? '' }),
    });
    await scheduler.start();
    expect(scheduler.status()[0]).toMatchObject({ entries: 3, refused: 2 });
    expect(bans.isBanned('198.51.100.200')).toBe(true);
    expect(bans.isBanned('203.0.113.5')).toBe(false);
    clock.advance(100);
    await settle();
    // The /24 shadows the address inside it: one element, no overlap for nft to refuse.
    expect(scripts[1]).toContain('add element inet ghostguard banned4 { 198.51.100.0/24 timeout 1200s }');
    expect(scripts[1]).not.toContain('198.51.100.66');
    expect(scripts[1]).toContain('add element inet ghostguard banned6 { 2001:db8:66::/48 timeout 1200s }');

    clock.advance(600_000);
    await settle();
    expect(bans.isBanned('198.51.100.200')).toBe(false);
    clock.advance(100);
    await settle();
    // The /24 goes (the address inside it, never in the kernel, left the list with it); the IPv6 block is renewed.
    expect(scripts.at(-1)).toContain('delete element inet ghostguard banned4 { 198.51.100.0/24 }');
    expect(scripts.at(-1)).not.toContain('198.51.100.66');
    expect(scripts.at(-1)).toContain('add element inet ghostguard banned6 { 2001:db8:66::/48 timeout 1200s }');
    scheduler.stop();
    await offload.stop();
  });

  it('offloads neither the would-be bans of a dry run nor, at start, those already listed', async () => {
    const { clock, bans, scripts, offload } = setup(true);
    bans.add({ address: '198.51.100.1', reason: 'flood', source: 'auto' });
    await offload.start();
    bans.add({ address: '198.51.100.2', reason: 'flood', source: 'auto' });
    bans.add({ address: '198.51.100.3', reason: 'by hand', source: 'manual' });
    clock.advance(100);
    await settle();
    expect(scripts.join('\n')).not.toMatch(/198\.51\.100\.[12]\b/);
    expect(scripts[1]).toContain('198.51.100.3 timeout 3600s');
  });
});
