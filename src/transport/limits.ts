/**
 * Transport limits: every resource an unauthenticated peer can make us hold is bounded here
 * (STYLE principle 3: bound before you parse). Defaults are sane for an edge guard; every value can
 * be overridden. The connection limits apply to accepted (inbound) connections; connections the
 * transport opens itself are the proxy's choice of destination and are not counted against them.
 */
export interface TransportLimits {
  /** Largest message accepted, in bytes; also the cap on bytes buffered per connection. */
  readonly maxMessageSize: number;
  /** Simultaneous accepted connections from one source address. */
  readonly maxConnectionsPerSource: number;
  /**
   * Simultaneous accepted connections in total. With the default message size, the worst case of
   * every connection holding an unfinished maximum-size message is about 1024 × 128 KiB of buffers.
   */
  readonly maxConnections: number;
  /** A connection with no traffic for this long is closed; a keep-alive counts as traffic. */
  readonly idleTimeoutMs: number;
  /** Time allowed to complete a started message (and a TLS handshake): the slowloris cut-off. */
  readonly messageTimeoutMs: number;
  /** Time allowed to open an outbound connection (TCP connect plus TLS handshake). */
  readonly connectTimeoutMs: number;
}

export const DEFAULT_LIMITS: TransportLimits = Object.freeze({
  maxMessageSize: 65_535,
  maxConnectionsPerSource: 32,
  maxConnections: 1_024,
  idleTimeoutMs: 120_000,
  messageTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
});

/** Defaults overlaid with `overrides`; throws RangeError for a value that is not a positive integer. */
export function resolveLimits(overrides: Partial<TransportLimits> = {}): TransportLimits {
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) limits[name] = value;
  }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`transport limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return Object.freeze(limits as unknown as TransportLimits);
}
