/**
 * RFC 3263 §4 ("Client Usage"): where to send a request for a SIP domain, and, for the guard, every
 * address the provider's DNS names, so that inbound requests from any of them are trusted (DESIGN §2,
 * step 3 of the inbound decision).
 *
 * - A numeric IP address needs no lookup: "If TARGET is a numeric IP address, the client uses that
 *   address" (§4.2), on the given port or 5060 (5061 for TLS).
 * - A name with an explicit port: "the client performs an A or AAAA record lookup of the domain name"
 *   (§4.2), on that port.
 * - Otherwise NAPTR (§4.1): the SIP+D2U / SIP+D2T / SIPS+D2T records in order/preference, each giving an
 *   SRV name. "If no NAPTR records are found, the client constructs SRV queries for those transport
 *   protocols it supports": `_sip._udp`, `_sip._tcp`, `_sips._tcp`. The SRV records are tried in
 *   RFC 2782 order (priority, then weighted draw), each target host's A then AAAA addresses.
 * - "If no SRV records were found, the client SHOULD use an A or AAAA record lookup of the domain
 *   name", on 5060 (5061 for TLS). We take that step only when every SRV query answered "none"; when
 *   one timed out or failed we report a failure instead, so that a DNS hiccup never swaps the
 *   provider's SIP servers for the web server the bare domain may point at.
 *
 * For trust every service is followed, including the transports the guard does not send on; the
 * targets list only the transports asked for. Without NAPTR, targets follow the order of `transports`.
 *
 * TTLs: node:dns gives none for NAPTR and SRV, so those count as `recordTtlSeconds` (default 300 s),
 * as do NAPTR/SRV queries that found nothing (a provider that adds SRV records is noticed that soon).
 * The result's `ttl` is the lowest of those and of every A/AAAA record used.
 *
 * Nothing here throws: DNS failures come back as values (`ok: false` with a message, or `problems`).
 */
import type { TransportName } from '../../config/config.js';
import { formatIp, parseIp, unmapIp } from '../../config/ip-address.js';
import { DnsSession, type FoundRecord } from './dns-session.js';
import { defaultSrvName, naptrServices, dnsName } from './naptr-services.js';
import type {
  FoundAddress,
  ProviderFound,
  ProviderProblem,
  ProviderTarget,
  ProviderTargets,
} from './provider-targets.js';
import type { DnsResolver } from './dns-resolver.js';
import { orderSrv, type RandomSource } from './srv-order.js';

export interface ResolveProviderOptions {
  /** The transports REGISTER may be sent on, in the order preferred when DNS expresses none. */
  readonly transports: readonly TransportName[];
  readonly resolver: DnsResolver;
  /** An explicit port (e.g. from `provider.registrar`): A/AAAA only, no NAPTR/SRV (RFC 3263 §4.2). */
  readonly port?: number | null;
  /** TTL assumed for NAPTR and SRV answers, which node:dns reports without one. Default 300. */
  readonly recordTtlSeconds?: number;
  /** For the RFC 2782 weighted draw. Default Math.random. */
  readonly random?: RandomSource;
}

export const DEFAULT_RECORD_TTL_SECONDS = 300;
const ALL_TRANSPORTS: readonly TransportName[] = ['udp', 'tcp', 'tls'];

export function defaultPort(transport: TransportName): number {
  return transport === 'tls' ? 5061 : 5060;
}

/** One step of the chain: a transport, the hosts to look up and their ports, best first. */
interface Route {
  readonly transport: TransportName;
  readonly hosts: readonly { readonly name: string; readonly port: number }[];
}

export async function resolveProvider(domain: string, options: ResolveProviderOptions): Promise<ProviderTargets> {
  const name = normalizeName(domain);
  const port = options.port ?? null;
  const literal = resolveLiteral(name, port, options.transports);
  if (literal !== null) return literal;
  if (name === '') return { ok: false, domain: name, error: 'no domain to resolve', queries: [], problems: [] };
  const session = new DnsSession(options.resolver);
  try {
    const recordTtl = options.recordTtlSeconds ?? DEFAULT_RECORD_TTL_SECONDS;
    const chain =
      port !== null
        ? { routes: options.transports.map((transport) => ({ transport, hosts: [{ name, port }] })), ttl: Infinity }
        : await rfc3263Routes(name, options, session, recordTtl);
    return await collect(name, chain.routes, chain.ttl, options.transports, session);
  } catch (error) {
    // Only a bug can land here (the session turns every DNS failure into a value); still a value.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, domain: name, error: `resolving ${name} failed: ${message}`, queries: session.queries, problems: [] };
  }
}

/**
 * RFC 3263 §4.2: "If TARGET is a numeric IP address, the client uses that address", on `port` or the
 * transport's default. Null when `host` is not an IP literal. Synchronous: no lookup is needed.
 */
export function resolveLiteral(
  host: string,
  port: number | null,
  transports: readonly TransportName[],
): ProviderFound | null {
  const ip = parseIp(normalizeName(host));
  if (ip === null) return null;
  const address = formatIp(unmapIp(ip));
  const targets = transports.map((transport) => {
    return { transport, address, port: port ?? defaultPort(transport), host: address };
  });
  const addresses: FoundAddress[] = [{ address, how: 'literal', name: address, ttl: null }];
  return { ok: true, domain: address, targets, addresses, ttl: null, queries: [], problems: [] };
}

/** NAPTR → SRV, or SRV alone, or the A/AAAA fallback: the routes to follow and the NAPTR/SRV TTL. */
async function rfc3263Routes(
  name: string,
  options: ResolveProviderOptions,
  session: DnsSession,
  recordTtl: number,
): Promise<{ routes: Route[]; ttl: number }> {
  const naptr = await session.naptr(name);
  let ttl = minTtl(naptr, recordTtl);
  let services = naptrServices(naptr).map((s) => ({ transport: s.transport, srvName: s.srvName }));
  if (services.length === 0) {
    const preferred = [...options.transports, ...ALL_TRANSPORTS.filter((t) => !options.transports.includes(t))];
    services = preferred.map((transport) => ({ transport, srvName: defaultSrvName(transport, name) }));
  }
  const answers = await Promise.all(services.map((s) => session.srv(s.srvName)));
  const random = options.random ?? Math.random;
  const routes: Route[] = services.map((service, i) => {
    const records = answers[i]!;
    ttl = Math.min(ttl, minTtl(records, recordTtl));
    const hosts = orderSrv(records, random).map((r) => ({ name: dnsName(r.name), port: r.port }));
    return { transport: service.transport, hosts };
  });
  if (routes.some((r) => r.hosts.length > 0) || session.failedTransiently('SRV')) return { routes, ttl };
  const fallback = options.transports.map((transport) => ({ transport, hosts: [{ name, port: defaultPort(transport) }] }));
  return { routes: fallback, ttl };
}

/** Looks up every host of every route; builds the targets, the address set and the problems. */
async function collect(
  domain: string,
  routes: readonly Route[],
  chainTtl: number,
  transports: readonly TransportName[],
  session: DnsSession,
): Promise<ProviderTargets> {
  const hostNames = [...new Set(routes.flatMap((r) => r.hosts.map((h) => h.name)))];
  const found = new Map<string, FoundRecord[]>();
  await Promise.all(hostNames.map(async (host) => found.set(host, await session.addresses(host))));

  const targets: ProviderTarget[] = [];
  const seenTargets = new Set<string>();
  const addresses = new Map<string, FoundAddress>();
  let ttl = chainTtl;
  for (const route of routes) {
    const wanted = transports.includes(route.transport);
    for (const host of route.hosts) {
      for (const record of found.get(host.name) ?? []) {
        ttl = Math.min(ttl, record.ttl);
        const known = addresses.get(record.address);
        if (known === undefined || (known.ttl ?? Infinity) > record.ttl) {
          addresses.set(record.address, { address: record.address, how: record.type, name: host.name, ttl: record.ttl });
        }
        const key = `${route.transport} ${record.address} ${host.port}`;
        if (!wanted || seenTargets.has(key)) continue;
        seenTargets.add(key);
        targets.push({ transport: route.transport, address: record.address, port: host.port, host: host.name });
      }
    }
  }

  const problems: ProviderProblem[] = session.queries
    .filter((q) => q.failure?.transient === true)
    .map((q) => ({ message: `${q.type} ${q.name}: ${q.failure!.message}`, transient: true }));
  if (addresses.size === 0) {
    const why = session.queries
      .filter((q) => q.records === 0)
      .map((q) => `${q.type} ${q.name}: ${q.failure?.message ?? 'no usable records'}`);
    const error = `no SIP server found for ${domain}${why.length > 0 ? `: ${why.join('; ')}` : ''}`;
    return { ok: false, domain, error, queries: session.queries, problems };
  }
  if (targets.length === 0) {
    const offered = [...new Set(routes.filter((r) => r.hosts.length > 0).map((r) => r.transport))];
    const allowed = transports.join(', ') || 'nothing';
    problems.push({ message: `${domain} offers SIP over ${offered.join(', ')} only; REGISTER may go over ${allowed}`, transient: false });
  }
  const ttlOrNull = Number.isFinite(ttl) ? ttl : null;
  return { ok: true, domain, targets, addresses: [...addresses.values()], ttl: ttlOrNull, queries: session.queries, problems };
}

function minTtl(records: readonly { readonly ttl?: number }[], fallback: number): number {
  let ttl = fallback;
  let known = false;
  for (const r of records) {
    if (typeof r.ttl === 'number' && Number.isFinite(r.ttl) && r.ttl >= 0) {
      ttl = known ? Math.min(ttl, r.ttl) : r.ttl;
      known = true;
    }
  }
  return ttl;
}

/** Lower case, no brackets around an IPv6 literal, no trailing dot. */
function normalizeName(domain: string): string {
  let name = domain.trim();
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return dnsName(name);
}
