/**
 * The real {@link DnsResolver}: node:dns/promises, asking the system's configured DNS servers (or the
 * ones given), each query bounded by a timeout and a number of tries.
 *
 * TTLs: node:dns reports them for A and AAAA (`{ ttl: true }`) but not for NAPTR or SRV, so those
 * records come back without `ttl`, and `resolveProvider` uses its default (300 s) for them.
 */
import { Resolver } from 'node:dns/promises';
import type { AddressRecord, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';

export interface SystemDnsResolverOptions {
  /** Per query and try, in ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Tries per server. Default 2. */
  readonly tries?: number;
  /** DNS servers (`203.0.113.53`, `[2001:db8::53]:53`); default: the system's. */
  readonly servers?: readonly string[];
}

export interface SystemDnsResolver extends DnsResolver {
  /** Cancels every outstanding query (they reject with `ECANCELLED`). */
  cancel(): void;
}

export function systemDnsResolver(options: SystemDnsResolverOptions = {}): SystemDnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 5000, tries: options.tries ?? 2 });
  if (options.servers !== undefined && options.servers.length > 0) resolver.setServers([...options.servers]);
  return {
    async resolveNaptr(name: string): Promise<readonly NaptrRecord[]> {
      const records = await resolver.resolveNaptr(name);
      return records.map((r) => ({
        order: r.order,
        preference: r.preference,
        flags: r.flags,
        service: r.service,
        regexp: r.regexp,
        replacement: r.replacement,
      }));
    },
    async resolveSrv(name: string): Promise<readonly SrvRecord[]> {
      const records = await resolver.resolveSrv(name);
      return records.map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, name: r.name }));
    },
    async resolve4(name: string): Promise<readonly AddressRecord[]> {
      const records = await resolver.resolve4(name, { ttl: true });
      return records.map((r) => ({ address: r.address, ttl: r.ttl }));
    },
    async resolve6(name: string): Promise<readonly AddressRecord[]> {
      const records = await resolver.resolve6(name, { ttl: true });
      return records.map((r) => ({ address: r.address, ttl: r.ttl }));
    },
    cancel: () => resolver.cancel(),
  };
}
