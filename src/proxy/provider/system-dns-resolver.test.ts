import { describe, expect, it } from 'vitest';
import { systemDnsResolver } from './system-dns-resolver.js';

// Constructing a resolver sends no query; nothing here may ask a real DNS server.
describe('systemDnsResolver', () => {
  it('is constructible with defaults and with options', () => {
    for (const resolver of [systemDnsResolver(), systemDnsResolver({ timeoutMs: 1000, tries: 1, servers: ['192.0.2.53'] })]) {
      expect(typeof resolver.resolveNaptr).toBe('function');
      expect(typeof resolver.resolveSrv).toBe('function');
      expect(typeof resolver.resolve4).toBe('function');
      expect(typeof resolver.resolve6).toBe('function');
      resolver.cancel();
    }
  });
});
