/**
 * The Via an element adds to a request it sends, RFC 3261 §8.1.1.7 and §16.6 step 8, with the
 * RFC 3581 `rport` parameter asking for the response to come back to the source port (NAT).
 */
export interface ViaSpec {
  /** UDP, TCP, TLS (upper-cased on the wire). */
  readonly transport: string;
  /** The sent-by host: a name, an IPv4 or an IPv6 address (brackets added). */
  readonly host: string;
  readonly port?: number;
  /** Adds `;rport` (RFC 3581 §3). Default true. */
  readonly rport?: boolean;
}

/** `SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bK...;rport` */
export function formatVia(spec: ViaSpec, branch: string): string {
  const host = spec.host.includes(':') && !spec.host.startsWith('[') ? `[${spec.host}]` : spec.host;
  const port = spec.port === undefined ? '' : `:${spec.port}`;
  const rport = spec.rport === false ? '' : ';rport';
  return `SIP/2.0/${spec.transport.toUpperCase()} ${host}${port};branch=${branch}${rport}`;
}
