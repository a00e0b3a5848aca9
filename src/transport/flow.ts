/**
 * A Flow: the transport and the two endpoints a message travelled between (RFC 5626 §3.3: "a flow is
 * a network protocol layer (layer 4) association between two hosts"). Every received message carries
 * its Flow, and a reply is sent back on it (RFC 3261 §18.2.2: a response goes back over the
 * connection the request arrived on).
 *
 * `local` of a UDP flow is the socket's bound address, which may be a wildcard (`0.0.0.0`, `::`):
 * Node.js does not tell which local address a datagram was sent to. TCP and TLS flows carry the real
 * local address of the connection.
 *
 * IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, from a dual-stack `::` listener) are normalised to
 * plain IPv4, so that one source has one spelling for per-source limits, bans and logs.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type TransportKind = 'udp' | 'tcp' | 'tls' | 'loop';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface Flow {
  readonly transport: TransportKind;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** Stable text key of the 5-tuple, e.g. `tcp:192.0.2.30:5060-198.51.100.66:40211`. */
  readonly id: string;
}

const MAPPED_PREFIX = '::ffff:';

/** `::ffff:a.b.c.d` → `a.b.c.d`; any other address unchanged. */
export function normalizeAddress(address: string): string {
  if (address.charCodeAt(0) === 0x3a && address.length > MAPPED_PREFIX.length && address.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    const v4 = address.slice(MAPPED_PREFIX.length);
    if (isIPv4(v4)) return v4;
  }
  return address;
}

/** 6 for an IPv6 address, else 4 (names and IPv4 addresses). */
export function addressFamily(address: string): 4 | 6 {
  return isV6(address) ? 6 : 4;
}

/** isIPv6 without its regular expression for the common case (an IPv4 address or a name has no colon). */
function isV6(address: string): boolean {
  return address.includes(':') && isIPv6(address);
}

/** `192.0.2.1:5060`, or `[2001:db8::1]:5060` for IPv6. */
export function formatEndpoint(endpoint: Endpoint): string {
  return isV6(endpoint.address) ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}

/** Key of one remote endpoint on one transport, e.g. `tls:[::1]:5061`. */
export function endpointKey(transport: TransportKind, endpoint: Endpoint): string {
  return `${transport}:${formatEndpoint(endpoint)}`;
}

export function makeFlow(transport: TransportKind, local: Endpoint, remote: Endpoint): Flow {
  const l = { address: normalizeAddress(local.address), port: local.port };
  const r = { address: normalizeAddress(remote.address), port: remote.port };
  return { transport, local: l, remote: r, id: `${transport}:${formatEndpoint(l)}-${formatEndpoint(r)}` };
}

/** For people, in the direction a message arrives: `udp 198.51.100.66:5060 → 192.0.2.30:40211` (remote → local). */
export function formatFlow(flow: Flow): string {
  return `${flow.transport} ${formatEndpoint(flow.remote)} → ${formatEndpoint(flow.local)}`;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && normalizeAddress(a.address) === normalizeAddress(b.address);
}
