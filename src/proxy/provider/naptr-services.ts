/**
 * RFC 3263 §4.1: the NAPTR records of a SIP domain that name a transport, in the order to try them.
 *
 * "The services relevant for the task of transport protocol selection are those with NAPTR service
 * fields with values "SIP+D2X" and "SIPS+D2X", where X is a letter that corresponds to a transport
 * protocol supported by the domain." We know three of them: SIP+D2U (UDP), SIP+D2T (TCP) and SIPS+D2T
 * (TLS over TCP); SCTP (D2S) and anything else are passed over. A usable record has the "s" flag (the
 * next lookup is SRV), an empty regexp and its SRV name in `replacement`. Records are ordered by
 * `order`, then `preference` (RFC 3403 §4.1), lowest first.
 */
import type { TransportName } from '../../config/config.js';
import type { NaptrRecord } from './dns-resolver.js';

export interface NaptrService {
  readonly transport: TransportName;
  /** The SRV name to query next, without a trailing dot. */
  readonly srvName: string;
  readonly order: number;
  readonly preference: number;
  /** Seconds, when the resolver reported it. */
  readonly ttl: number | undefined;
}

const SERVICES: Readonly<Record<string, TransportName>> = {
  'SIP+D2U': 'udp',
  'SIP+D2T': 'tcp',
  'SIPS+D2T': 'tls',
};

export function naptrServices(records: readonly NaptrRecord[]): NaptrService[] {
  const services: NaptrService[] = [];
  for (const r of records) {
    const transport = SERVICES[r.service.toUpperCase()];
    if (transport === undefined || r.flags.toLowerCase() !== 's' || r.regexp !== '') continue;
    const srvName = dnsName(r.replacement);
    if (srvName === '') continue;
    services.push({ transport, srvName, order: r.order, preference: r.preference, ttl: r.ttl });
  }
  return services.sort((a, b) => a.order - b.order || a.preference - b.preference);
}

/** RFC 3263 §4.1 without NAPTR: `_sips._tcp`, `_sip._tcp`, `_sip._udp` in front of the domain. */
export function defaultSrvName(transport: TransportName, domain: string): string {
  switch (transport) {
    case 'udp':
      return `_sip._udp.${domain}`;
    case 'tcp':
      return `_sip._tcp.${domain}`;
    case 'tls':
      return `_sips._tcp.${domain}`;
  }
}

/** A DNS name as we compare and show it: lower case, without the trailing dot of the root. */
export function dnsName(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1).toLowerCase() : name.toLowerCase();
}
