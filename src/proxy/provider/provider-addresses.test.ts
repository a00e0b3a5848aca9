import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../config/address-set.js';
import type { Logger } from '../../transport/logger.js';
import { ManualClock } from '../../util/clock.js';
import { ProviderAddresses, type ProviderAddressesOptions } from './provider-addresses.js';
import { FakeDnsResolver, naptr, rr, settle, srv } from './test-kit.js';

const D = 'voip.example.test';

function set(...entries: string[]): AddressSet {
  const result = AddressSet.parse(entries);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.set;
}

class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(msg: string): void {
    this.lines.push(`debug ${msg}`);
  }
  info(msg: string): void {
    this.lines.push(`info ${msg}`);
  }
  warn(msg: string): void {
    this.lines.push(`warn ${msg}`);
  }
  error(msg: string): void {
    this.lines.push(`error ${msg}`);
  }
}

function setup(dns: FakeDnsResolver, extra: Partial<ProviderAddressesOptions> = {}) {
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const provider = new ProviderAddresses({
    names: [{ host: D }],
    transports: ['udp', 'tcp'],
    resolver: dns,
    clock,
    logger,
    ...extra,
  });
  return { clock, logger, provider };
}

/** Moves the clock and lets the lookups the timers started finish. */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle();
}

describe('ProviderAddresses', () => {
  it('trusts configured blocks and an IP registrar before any DNS answer, and nothing else', () => {
    const dns = new FakeDnsResolver();
    const { provider } = setup(dns, {
      names: [{ host: '203.0.113.10', port: 5060, label: 'provider.registrar' }, { host: D }],
      trusted: set('198.51.100.0/28'),
    });
    expect(provider.has('203.0.113.10')).toBe(true);
    expect(provider.has('198.51.100.15')).toBe(true);
    expect(provider.has('198.51.100.16')).toBe(false);
    expect(provider.has('192.0.2.1')).toBe(false);
    expect(provider.has('not an address')).toBe(false);
    expect(provider.targets().map((t) => `${t.transport} ${t.address}:${t.port}`)).toEqual([
      'udp 203.0.113.10:5060',
      'tcp 203.0.113.10:5060',
    ]);
    expect(provider.describe()).toEqual(['203.0.113.10 (provider.registrar)', '198.51.100.0/28 (configured)']);
    expect(dns.asked).toEqual([]);
  });

  it('trusts every record of the NAPTR → SRV → A/AAAA chain once started', async () => {
    const dns = new FakeDnsResolver()
      .naptr(D, naptr(10, 10, 'SIP+D2U', `_sip._udp.${D}`), naptr(20, 10, 'SIPS+D2T', `_sips._tcp.${D}`))
      .srv(`_sip._udp.${D}`, srv(10, 0, 5060, `sip.${D}`))
      .srv(`_sips._tcp.${D}`, srv(10, 0, 5061, `tls.${D}`))
      .a(`sip.${D}`, rr('203.0.113.10', 300), rr('203.0.113.11', 300), rr('203.0.113.12', 300))
      .aaaa(`sip.${D}`, rr('2001:db8::10', 300))
      .a(`tls.${D}`, rr('203.0.113.40', 300));
    const { provider, clock } = setup(dns, { trusted: set('203.0.113.0/28') });
    await provider.start();
    for (const a of ['203.0.113.10', '203.0.113.11', '203.0.113.12', '2001:db8::10', '2001:DB8:0::10', '203.0.113.40']) {
      expect(provider.has(a), a).toBe(true);
    }
    expect(provider.has('203.0.113.41')).toBe(false);
    expect(provider.describe()).toEqual([
      `203.0.113.10 (A sip.${D}, ttl 300 s)`,
      `203.0.113.11 (A sip.${D}, ttl 300 s)`,
      `203.0.113.12 (A sip.${D}, ttl 300 s)`,
      `2001:db8::10 (AAAA sip.${D}, ttl 300 s)`,
      `203.0.113.40 (A tls.${D}, ttl 300 s)`,
      '203.0.113.0/28 (configured)',
    ]);
    const health = provider.health();
    expect(health.lastRefresh).toBe(clock.now());
    expect(health.lastError).toBeNull();
    expect(health.nextRefresh).toBe(clock.now() + 300_000);
    expect(health.addresses).toContain('203.0.113.0/28');
    expect(health.addresses).toContain('203.0.113.40');
  });

  it('matches IPv4-mapped IPv6 sources against DNS, configured and learned IPv4 addresses', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10'));
    const { provider } = setup(dns, { trusted: set('198.51.100.0/24') });
    await provider.start();
    provider.learn('::ffff:192.0.2.77', { reason: 'answered REGISTER' });
    expect(provider.has('::ffff:203.0.113.10')).toBe(true);
    expect(provider.has('::FFFF:203.0.113.10')).toBe(true);
    expect(provider.has('::ffff:198.51.100.9')).toBe(true);
    expect(provider.has('192.0.2.77')).toBe(true);
    expect(provider.has('::ffff:192.0.2.77')).toBe(true);
    expect(provider.has('::ffff:203.0.113.11')).toBe(false);
  });

  it('refreshes by TTL: picks up a changed record and stops trusting the old one', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 60));
    const { provider, clock, logger } = setup(dns);
    await provider.start();
    expect(provider.health().nextRefresh).toBe(clock.now() + 60_000);
    dns.a(D, rr('203.0.113.20', 60));
    await advance(clock, 59_000);
    expect(provider.has('203.0.113.10')).toBe(true);
    await advance(clock, 1_000);
    expect(provider.has('203.0.113.20')).toBe(true);
    expect(provider.has('203.0.113.10')).toBe(false);
    expect(logger.lines).toContain(`info Provider addresses of ${D}: now trusting 203.0.113.20; no longer trusting 203.0.113.10`);
  });

  it('refreshes no sooner than minRefreshSeconds, even for a TTL of 0', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 0));
    const { provider, clock } = setup(dns, { timing: { minRefreshSeconds: 30 } });
    await provider.start();
    expect(provider.health().nextRefresh).toBe(clock.now() + 30_000);
  });

  it('keeps the last good set when a refresh fails, reports lastError, retries with back-off, and recovers', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 60));
    const { provider, clock, logger } = setup(dns, { timing: { retrySeconds: 10, maxRetrySeconds: 25 } });
    await provider.start();
    const started = clock.now();
    dns.fail('NAPTR', D, 'ETIMEOUT').fail('SRV', `_sip._udp.${D}`, 'ETIMEOUT').fail('A', D, 'ESERVFAIL');
    await advance(clock, 60_000);
    let health = provider.health();
    expect(provider.has('203.0.113.10')).toBe(true);
    expect(health.lastRefresh).toBe(started);
    expect(health.lastError?.at).toBe(clock.now());
    expect(health.lastError?.message).toContain('timed out (ETIMEOUT)');
    expect(health.nextRefresh).toBe(clock.now() + 10_000);
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(logger.lines.find((l) => l.startsWith('warn'))).toContain('still trusting 203.0.113.10');
    await advance(clock, 10_000);
    expect(provider.health().nextRefresh).toBe(clock.now() + 20_000);
    await advance(clock, 20_000);
    expect(provider.health().nextRefresh).toBe(clock.now() + 25_000);
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1); // the same error is not repeated
    dns.remove('NAPTR', D).remove('SRV', `_sip._udp.${D}`).a(D, rr('203.0.113.10', 60));
    await advance(clock, 25_000);
    health = provider.health();
    expect(health.lastError).toBeNull();
    expect(health.lastRefresh).toBe(clock.now());
    expect(health.nextRefresh).toBe(clock.now() + 60_000);
  });

  it('keeps the last good set when the domain vanishes (NXDOMAIN)', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 60));
    const { provider, clock } = setup(dns);
    await provider.start();
    dns.remove('A', D);
    await advance(clock, 60_000);
    expect(provider.has('203.0.113.10')).toBe(true);
    expect(provider.health().lastError?.message).toContain('no such domain (NXDOMAIN)');
  });

  it('adds to, rather than replaces, the last good set when part of a refresh times out', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 60)).aaaa(D, rr('2001:db8::10', 60));
    const { provider, clock } = setup(dns);
    await provider.start();
    dns.a(D, rr('203.0.113.11', 60)).fail('AAAA', D, 'ETIMEOUT');
    await advance(clock, 60_000);
    expect(provider.has('203.0.113.11')).toBe(true);
    expect(provider.has('2001:db8::10')).toBe(true);
    expect(provider.has('203.0.113.10')).toBe(true);
    expect(provider.health().lastError?.message).toBe(`AAAA ${D}: timed out (ETIMEOUT)`);
  });

  it('warns once when the provider offers none of the transports REGISTER may use, but trusts its addresses', async () => {
    const dns = new FakeDnsResolver()
      .naptr(D, naptr(10, 10, 'SIPS+D2T', `_sips._tcp.${D}`))
      .srv(`_sips._tcp.${D}`, srv(10, 0, 5061, `tls.${D}`))
      .a(`tls.${D}`, rr('203.0.113.30', 60));
    const { provider, clock, logger } = setup(dns);
    await provider.start();
    await advance(clock, 60_000);
    expect(provider.has('203.0.113.30')).toBe(true);
    expect(provider.targets()).toEqual([]);
    expect(provider.health().lastError?.message).toBe(`${D} offers SIP over tls only; REGISTER may go over udp, tcp`);
    expect(provider.health().nextRefresh).toBe(clock.now() + 60_000);
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
  });

  it('counts a lookup that never answers as failed after timeoutSeconds', async () => {
    const dns = new FakeDnsResolver().hang('NAPTR', D);
    const { provider, clock } = setup(dns, { timing: { timeoutSeconds: 20, retrySeconds: 5 } });
    const started = provider.start();
    await advance(clock, 20_000);
    await started;
    expect(provider.health().lastError?.message).toBe(`looking up ${D} took longer than 20 s`);
    expect(provider.health().nextRefresh).toBe(clock.now() + 5_000);
    dns.release();
  });

  it('trusts an address REGISTER responses came from while it keeps answering, then lets it expire', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 3600));
    const { provider, clock, logger } = setup(dns, { learned: { ttlSeconds: 600 } });
    await provider.start();
    expect(provider.learn('198.51.100.66', { reason: `answered REGISTER for ${D}` })).toBe(true);
    expect(provider.has('198.51.100.66')).toBe(true);
    expect(provider.describe()).toContain(`198.51.100.66 (learned: answered REGISTER for ${D})`);
    expect(logger.lines).toContain(`info Trusting provider address 198.51.100.66: answered REGISTER for ${D} (no DNS record names it)`);
    clock.advance(500_000);
    provider.learn('198.51.100.66', { reason: `answered REGISTER for ${D}` });
    clock.advance(500_000);
    expect(provider.has('198.51.100.66')).toBe(true);
    clock.advance(100_000);
    expect(provider.has('198.51.100.66')).toBe(false);
    expect(provider.health().learned).toEqual([]);
    expect(provider.learn('not-an-ip', { reason: 'x' })).toBe(false);
  });

  it('bounds the learned addresses', () => {
    const { provider } = setup(new FakeDnsResolver(), { learned: { max: 4 } });
    for (let i = 1; i <= 100; i++) provider.learn(`192.0.2.${i}`, { reason: 'answered REGISTER' });
    expect(provider.health().learned.map((l) => l.address)).toEqual(['192.0.2.97', '192.0.2.98', '192.0.2.99', '192.0.2.100']);
    expect(provider.has('192.0.2.1')).toBe(false);
  });

  it('stop() cancels every timer and ignores an answer still in flight', async () => {
    const dns = new FakeDnsResolver().a(D, rr('203.0.113.10', 60));
    const { provider, clock } = setup(dns);
    await provider.start();
    expect(clock.waiting).toBe(1);
    provider.stop();
    expect(clock.waiting).toBe(0);
    expect(provider.health().nextRefresh).toBeNull();

    dns.hang('NAPTR', D);
    const again = setup(dns);
    const started = again.provider.start();
    again.provider.stop();
    expect(again.clock.waiting).toBe(0);
    dns.release();
    await started;
    await settle();
    expect(again.clock.waiting).toBe(0);
    expect(again.provider.has('203.0.113.10')).toBe(false);
  });

  it('sends REGISTER to the first name that has targets', async () => {
    const dns = new FakeDnsResolver()
      .a(`reg.${D}`, rr('203.0.113.50'))
      .srv(`_sip._udp.${D}`, srv(10, 0, 5060, `sip.${D}`))
      .a(`sip.${D}`, rr('203.0.113.10'));
    const { provider } = setup(dns, { names: [{ host: `reg.${D}`, port: 5070 }, { host: D }] });
    await provider.start();
    expect(provider.targets().map((t) => `${t.transport} ${t.address}:${t.port}`)).toEqual([
      'udp 203.0.113.50:5070',
      'tcp 203.0.113.50:5070',
    ]);
    expect(provider.has('203.0.113.10')).toBe(true);
    expect(provider.health().lookups.map((l) => l.host)).toEqual([`reg.${D}`, D]);
  });
});
