/**
 * A flow as the store keeps it: the transport and both ends, as plain data. Structurally compatible with
 * the transport layer's flow, so a live flow can be stored as it is.
 */
export interface FlowRecord {
  /** "udp", "tcp", "tls", "ws", ... */
  readonly transport: string;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}
