import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../config/address-set.js';
import { parseHostPort, type HostPort } from '../../config/host-port.js';
import { ManualClock } from '../../util/clock.js';
import { providerAddressesFromConfig } from './provider-addresses-from-config.js';
import { FakeDnsResolver, rr } from './test-kit.js';

function hostPort(text: string): HostPort {
  const parsed = parseHostPort(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

function config(registrar: string | null) {
  const trusted = AddressSet.parse(['203.0.113.0/28']);
  if (!trusted.ok) throw new Error('bad test data');
  return {
    provider: { domain: 'voip.example.test', registrar: registrar === null ? null : hostPort(registrar), trusted: trusted.set },
    wan: { transports: ['udp', 'tcp'] as const },
  };
}

describe('providerAddressesFromConfig', () => {
  it('trusts an IP registrar, provider.trusted and the domain’s records; REGISTER goes to the registrar', async () => {
    const dns = new FakeDnsResolver().a('voip.example.test', rr('198.51.100.10', 300));
    const provider = providerAddressesFromConfig(config('192.0.2.10:5070'), { resolver: dns, clock: new ManualClock() });
    await provider.start();
    expect(provider.describe()).toEqual([
      '192.0.2.10 (provider.registrar)',
      '198.51.100.10 (A voip.example.test, ttl 300 s)',
      '203.0.113.0/28 (configured)',
    ]);
    expect(provider.targets().map((t) => `${t.transport} ${t.address}:${t.port}`)).toEqual(['udp 192.0.2.10:5070', 'tcp 192.0.2.10:5070']);
    provider.stop();
  });

  it('without a registrar, REGISTER goes where the domain’s lookup points', async () => {
    const dns = new FakeDnsResolver().a('voip.example.test', rr('198.51.100.10', 300));
    const provider = providerAddressesFromConfig(config(null), { resolver: dns, clock: new ManualClock() });
    await provider.start();
    expect(provider.targets().map((t) => `${t.transport} ${t.address}:${t.port}`)).toEqual(['udp 198.51.100.10:5060', 'tcp 198.51.100.10:5060']);
    provider.stop();
  });
});
