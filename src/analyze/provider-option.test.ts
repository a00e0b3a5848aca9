import { describe, expect, it } from 'vitest';
import { resolveProviderOption } from './provider-option.js';

describe('resolveProviderOption', () => {
  it('takes addresses and CIDR blocks as they are', async () => {
    const r = await resolveProviderOption(['203.0.113.10', '198.51.100.0/28', '2001:db8::1'], () => Promise.reject(new Error('not asked')));
    if (!r.ok) throw new Error(r.error);
    expect(r.provider.isProvider('198.51.100.7')).toBe(true);
    expect(r.provider.isProvider('198.51.100.17')).toBe(false);
    expect(r.provider.isProvider('2001:db8::1')).toBe(true);
    expect(r.provider.domain).toBeNull();
  });

  it('resolves a domain and keeps it as the provider name', async () => {
    const asked: string[] = [];
    const r = await resolveProviderOption(['VOIP.example.test.'], async (name) => (asked.push(name), ['203.0.113.10', '203.0.113.11']));
    if (!r.ok) throw new Error(r.error);
    expect(asked).toEqual(['VOIP.example.test.']);
    expect(r.provider.isProvider('203.0.113.11')).toBe(true);
    expect(r.provider.domain).toBe('voip.example.test');
    expect(r.provider.names).toEqual(['VOIP.example.test.']);
  });

  it('says clearly when a domain does not resolve, and suggests an address', async () => {
    const r = await resolveProviderOption(['nowhere.invalid'], () => Promise.reject(new Error('getaddrinfo ENOTFOUND nowhere.invalid')));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/could not resolve the domain \(getaddrinfo ENOTFOUND nowhere\.invalid\); give the provider's address/);
  });

  it('gives up on a resolver that never answers, after the timeout', async () => {
    const r = await resolveProviderOption(['slow.example.test'], () => new Promise(() => {}), 20);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no answer within 0.02 s/);
  });

  it('refuses what is neither an address, a block nor a name', async () => {
    for (const bad of ['203.0.113.300', '10.0.0.0/40', 'a b', '-x.example']) {
      const r = await resolveProviderOption([bad], () => Promise.resolve(['192.0.2.1']));
      expect(r.ok, bad).toBe(false);
    }
  });
});
