/**
 * What an RFC 3263 resolution of the provider found: where to send REGISTER (ordered targets) and
 * every address any record named (for trusting inbound requests), with a log of each query.
 */
import type { TransportName } from '../../config/config.js';
import type { DnsFailure } from './dns-failure.js';
import type { DnsRecordType } from './dns-resolver.js';

/** One place to send a request to, in the order RFC 3263 §4 says to try them. */
export interface ProviderTarget {
  readonly transport: TransportName;
  /** Canonical IP literal (RFC 5952 for IPv6). */
  readonly address: string;
  readonly port: number;
  /** The name whose A/AAAA record gave the address (or the literal itself). */
  readonly host: string;
}

/** An address one record named. */
export interface FoundAddress {
  /** Canonical IP literal; IPv4-mapped IPv6 is written as IPv4. */
  readonly address: string;
  /** The record type that named it, or `literal` when the domain was an IP address. */
  readonly how: 'A' | 'AAAA' | 'literal';
  /** The name that was looked up. */
  readonly name: string;
  /** Seconds; null for a literal (it never expires). */
  readonly ttl: number | null;
}

/** One DNS query and what came of it. */
export interface DnsQueryOutcome {
  readonly type: DnsRecordType;
  readonly name: string;
  /** Records returned (0 on failure). */
  readonly records: number;
  readonly failure: DnsFailure | null;
}

/** Something that went wrong without ending the resolution. */
export interface ProviderProblem {
  readonly message: string;
  /** True when records may exist that we could not see (timeout, SERVFAIL): keep what we knew. */
  readonly transient: boolean;
}

interface Common {
  /** The name (or literal) that was resolved. */
  readonly domain: string;
  readonly queries: readonly DnsQueryOutcome[];
  readonly problems: readonly ProviderProblem[];
}

export interface ProviderFound extends Common {
  readonly ok: true;
  /** Where to send REGISTER, best first; only the transports asked for. May be empty (see problems). */
  readonly targets: readonly ProviderTarget[];
  /** Every address found, of every transport, without duplicates (the lowest TTL kept). */
  readonly addresses: readonly FoundAddress[];
  /** Seconds until the answer should be looked up again; null when nothing can change (a literal). */
  readonly ttl: number | null;
}

export interface ProviderNotFound extends Common {
  readonly ok: false;
  /** E.g. "no SIP server found for voip.example.test: NAPTR voip.example.test: timed out (ETIMEOUT); ...". */
  readonly error: string;
}

export type ProviderTargets = ProviderFound | ProviderNotFound;
