/**
 * How the guard gets its transports: one per leg and transport kind. The default opens sockets
 * (UDP, TCP, TLS); tests pass a factory over an in-memory `LoopNetwork`, so the whole guard runs
 * without a socket.
 */
import type { TlsFiles, TransportName } from '../config/config.js';
import type { Leg } from '../store/guard-event.js';
import type { Endpoint } from '../transport/flow.js';
import type { LoopNetwork } from '../transport/loop-transport.js';
import { TcpTransport } from '../transport/tcp-transport.js';
import { TlsTransport } from '../transport/tls-transport.js';
import type { Transport, TransportHooks } from '../transport/transport.js';
import { UdpTransport } from '../transport/udp-transport.js';

export interface TransportSpec {
  readonly leg: Leg;
  readonly kind: TransportName;
  readonly listen: Endpoint;
  readonly hooks: TransportHooks;
  /** For `tls`: the certificate and key files. */
  readonly tls?: TlsFiles | null;
}

/** A transport for the spec (not yet listening), or null when this factory has none of that kind. */
export type TransportFactory = (spec: TransportSpec) => Transport | null;

export const socketTransports: TransportFactory = (spec) => {
  const options = { listen: [spec.listen], ...spec.hooks };
  switch (spec.kind) {
    case 'udp':
      return new UdpTransport(options);
    case 'tcp':
      return new TcpTransport(options);
    case 'tls':
      return spec.tls == null ? null : new TlsTransport({ ...options, tls: { cert: spec.tls.cert, key: spec.tls.key } });
  }
};

/** One in-memory endpoint per leg (it stands in for every transport kind): for tests and the demo. */
export function loopTransports(network: LoopNetwork): TransportFactory {
  return (spec) => (spec.kind === 'udp' ? network.endpoint({ listen: spec.listen, ...spec.hooks }) : null);
}
