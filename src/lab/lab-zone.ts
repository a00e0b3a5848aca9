/**
 * The lab's own DNS: the guard looks its provider up with RFC 3263 as always, but behind the DNS seam
 * the demo domain answers with the simulated provider's address, and every other question with
 * "no such domain" — so the demo never sends a packet off the machine, not even a DNS query.
 */
import type { AddressRecord, DnsResolver, NaptrRecord, SrvRecord } from '../proxy/provider/dns-resolver.js';

export class LabZone implements DnsResolver {
  readonly #domain: string;
  readonly #address: string;

  constructor(domain: string, address: string) {
    this.#domain = domain.toLowerCase();
    this.#address = address;
  }

  resolveNaptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.#none(name);
  }

  resolveSrv(name: string): Promise<readonly SrvRecord[]> {
    return this.#none(name);
  }

  resolve4(name: string): Promise<readonly AddressRecord[]> {
    return name.toLowerCase() === this.#domain ? Promise.resolve([{ address: this.#address, ttl: 3600 }]) : this.#none(name);
  }

  resolve6(name: string): Promise<readonly AddressRecord[]> {
    return this.#none(name);
  }

  /** ENODATA for the demo domain (it has only an A record), ENOTFOUND (NXDOMAIN) for any other name. */
  #none(name: string): Promise<never> {
    const code = name.toLowerCase() === this.#domain ? 'ENODATA' : 'ENOTFOUND';
    return Promise.reject(Object.assign(new Error(`${code} ${name}`), { code, hostname: name }));
  }
}
