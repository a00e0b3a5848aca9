/**
 * Helpers for the provider tests (no test runner in here): an in-memory DNS zone behind the
 * {@link DnsResolver} seam, so no test ever asks a real DNS server.
 *
 * A name with no records at all answers NXDOMAIN (`ENOTFOUND`); a name with records of other types
 * answers `ENODATA`, like a real server. `fail()` makes a query reject with a code; `hang()` makes it
 * never answer (until `release()`).
 */
import type { AddressRecord, DnsRecordType, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';

type Answer =
  | { readonly kind: 'records'; readonly records: readonly unknown[] }
  | { readonly kind: 'fail'; readonly code: string }
  | { readonly kind: 'hang' };

export class FakeDnsResolver implements DnsResolver {
  /** Every query, as "TYPE name", in the order asked. */
  readonly asked: string[] = [];
  private readonly zone = new Map<string, Answer>();
  private readonly hanging: (() => void)[] = [];

  naptr(name: string, ...records: NaptrRecord[]): this {
    return this.set('NAPTR', name, records);
  }

  srv(name: string, ...records: SrvRecord[]): this {
    return this.set('SRV', name, records);
  }

  a(name: string, ...records: AddressRecord[]): this {
    return this.set('A', name, records);
  }

  aaaa(name: string, ...records: AddressRecord[]): this {
    return this.set('AAAA', name, records);
  }

  /** Makes queries of this type and name reject with `code` (e.g. `ETIMEOUT`, `ESERVFAIL`). */
  fail(type: DnsRecordType, name: string, code: string): this {
    this.zone.set(`${type} ${name}`, { kind: 'fail', code });
    return this;
  }

  /** Makes queries of this type and name never answer until `release()`. */
  hang(type: DnsRecordType, name: string): this {
    this.zone.set(`${type} ${name}`, { kind: 'hang' });
    return this;
  }

  /** Removes the records (or failure) of this type and name. */
  remove(type: DnsRecordType, name: string): this {
    this.zone.delete(`${type} ${name}`);
    return this;
  }

  /** Lets hanging queries answer with no records (ENODATA). */
  release(): void {
    for (const answer of this.hanging.splice(0)) answer();
  }

  resolveNaptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.answer('NAPTR', name) as Promise<readonly NaptrRecord[]>;
  }

  resolveSrv(name: string): Promise<readonly SrvRecord[]> {
    return this.answer('SRV', name) as Promise<readonly SrvRecord[]>;
  }

  resolve4(name: string): Promise<readonly AddressRecord[]> {
    return this.answer('A', name) as Promise<readonly AddressRecord[]>;
  }

  resolve6(name: string): Promise<readonly AddressRecord[]> {
    return this.answer('AAAA', name) as Promise<readonly AddressRecord[]>;
  }

  private set(type: DnsRecordType, name: string, records: readonly unknown[]): this {
    this.zone.set(`${type} ${name}`, { kind: 'records', records });
    return this;
  }

  private answer(type: DnsRecordType, name: string): Promise<readonly unknown[]> {
    this.asked.push(`${type} ${name}`);
    const answer = this.zone.get(`${type} ${name}`);
    if (answer?.kind === 'hang') {
      return new Promise((_resolve, reject) => this.hanging.push(() => reject(dnsError('ENODATA', name))));
    }
    if (answer?.kind === 'fail') return Promise.reject(dnsError(answer.code, name));
    if (answer !== undefined && answer.records.length > 0) return Promise.resolve([...answer.records]);
    const exists = [...this.zone.keys()].some((key) => key.endsWith(` ${name}`));
    return Promise.reject(dnsError(exists ? 'ENODATA' : 'ENOTFOUND', name));
  }
}

function dnsError(code: string, name: string): Error {
  return Object.assign(new Error(`query ${code} ${name}`), { code, hostname: name });
}

export const naptr = (order: number, preference: number, service: string, replacement: string, flags = 's'): NaptrRecord => ({
  order,
  preference,
  flags,
  service,
  regexp: '',
  replacement,
});

export const srv = (priority: number, weight: number, port: number, name: string): SrvRecord => ({ priority, weight, port, name });

export const rr = (address: string, ttl = 300): AddressRecord => ({ address, ttl });

/** Lets every pending promise callback run (the fake answers through microtasks). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
