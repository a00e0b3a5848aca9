/**
 * One resolution's worth of DNS queries: each (type, name) asked once however many records point at
 * it, every rejection turned into a logged {@link DnsFailure} and an empty answer, junk records (an
 * address that is not an IP literal, a negative TTL) dropped.
 */
import { formatIp, parseIp, unmapIp } from '../../config/ip-address.js';
import { dnsFailure } from './dns-failure.js';
import type { DnsRecordType, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';
import type { DnsQueryOutcome } from './provider-targets.js';

export interface FoundRecord {
  readonly type: 'A' | 'AAAA';
  /** Canonical, IPv4-mapped IPv6 unmapped. */
  readonly address: string;
  readonly ttl: number;
}

export class DnsSession {
  readonly queries: DnsQueryOutcome[] = [];
  private readonly memo = new Map<string, Promise<readonly unknown[]>>();

  constructor(private readonly resolver: DnsResolver) {}

  naptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.ask('NAPTR', name, () => this.resolver.resolveNaptr(name)) as Promise<readonly NaptrRecord[]>;
  }

  srv(name: string): Promise<readonly SrvRecord[]> {
    return this.ask('SRV', name, () => this.resolver.resolveSrv(name)) as Promise<readonly SrvRecord[]>;
  }

  /** A then AAAA records of `name`, both asked at once. */
  async addresses(name: string): Promise<FoundRecord[]> {
    const [v4, v6] = await Promise.all([
      this.ask('A', name, () => this.resolver.resolve4(name)),
      this.ask('AAAA', name, () => this.resolver.resolve6(name)),
    ]);
    return [...toFound('A', v4), ...toFound('AAAA', v6)];
  }

  /** Did a query of this type fail in a way that may hide records? */
  failedTransiently(type: DnsRecordType): boolean {
    return this.queries.some((q) => q.type === type && q.failure?.transient === true);
  }

  private ask(type: DnsRecordType, name: string, query: () => Promise<readonly unknown[]>): Promise<readonly unknown[]> {
    const key = `${type} ${name}`;
    let pending = this.memo.get(key);
    if (pending === undefined) {
      pending = Promise.resolve()
        .then(query)
        .then(
          (records) => {
            const list = Array.isArray(records) ? (records as unknown[]) : [];
            this.queries.push({ type, name, records: list.length, failure: null });
            return list;
          },
          (error: unknown) => {
            this.queries.push({ type, name, records: 0, failure: dnsFailure(error) });
            return [];
          },
        );
      this.memo.set(key, pending);
    }
    return pending;
  }
}

function toFound(type: 'A' | 'AAAA', records: readonly unknown[]): FoundRecord[] {
  const found: FoundRecord[] = [];
  for (const record of records) {
    const { address, ttl } = record as { address?: unknown; ttl?: unknown };
    if (typeof address !== 'string') continue;
    const ip = parseIp(address);
    if (ip === null) continue;
    const seconds = typeof ttl === 'number' && Number.isFinite(ttl) && ttl >= 0 ? Math.floor(ttl) : 0;
    found.push({ type, address: formatIp(unmapIp(ip)), ttl: seconds });
  }
  return found;
}
