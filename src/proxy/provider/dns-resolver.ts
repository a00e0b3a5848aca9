/**
 * The DNS seam (STYLE principle 6): the four queries RFC 3263 needs, and nothing else, so that tests
 * run the whole NAPTR → SRV → A/AAAA chain against a fake, and the guard never touches the network
 * outside `systemDnsResolver()`.
 *
 * A method resolves with the records found, or rejects with an error whose `code` is one of node:dns's
 * codes (`ENOTFOUND` for NXDOMAIN, `ENODATA` for a name without records of that type, `ETIMEOUT`,
 * `ESERVFAIL`, ...). Callers turn rejections into values (see `dns-failure.ts`); nothing past
 * `resolveProvider` ever throws.
 */

/** RFC 3403 §4.1. `ttl` in seconds when the resolver knows it (node:dns does not report it for NAPTR). */
export interface NaptrRecord {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly service: string;
  readonly regexp: string;
  readonly replacement: string;
  readonly ttl?: number;
}

/** RFC 2782. `name` is the target host; `ttl` in seconds when known (node:dns does not report it for SRV). */
export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly name: string;
  readonly ttl?: number;
}

/** An A or AAAA record with its TTL in seconds (node:dns reports it with `{ ttl: true }`). */
export interface AddressRecord {
  readonly address: string;
  readonly ttl: number;
}

export interface DnsResolver {
  resolveNaptr(name: string): Promise<readonly NaptrRecord[]>;
  resolveSrv(name: string): Promise<readonly SrvRecord[]>;
  resolve4(name: string): Promise<readonly AddressRecord[]>;
  resolve6(name: string): Promise<readonly AddressRecord[]>;
}

export type DnsRecordType = 'NAPTR' | 'SRV' | 'A' | 'AAAA';
