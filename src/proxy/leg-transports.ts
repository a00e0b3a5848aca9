/**
 * The guard's transports on its two legs, and the one question the send path asks of them: which
 * transport does this flow belong to? A received flow carries its local endpoint (the listening
 * socket, or for TCP/TLS the connection's real local address); a flow the guard makes itself to
 * reach a destination (`flowTo`) carries the transport's listening endpoint. Both map back to their
 * transport by kind and local port (and address, when two transports share a port).
 */
import type { Leg } from '../store/guard-event.js';
import { makeFlow, normalizeAddress, type Endpoint, type Flow, type TransportKind } from '../transport/flow.js';
import type { Transport } from '../transport/transport.js';
import type { LegTransport } from './guard-addresses.js';

export interface LegTransportEntry {
  readonly leg: Leg;
  readonly transport: Transport;
}

export class LegTransports {
  readonly #entries: LegTransportEntry[] = [];

  add(leg: Leg, transport: Transport): void {
    this.#entries.push({ leg, transport });
  }

  entries(): readonly LegTransportEntry[] {
    return this.#entries;
  }

  /** The transport of a leg for a transport kind; the in-memory loop transport stands in for every kind. */
  pick(leg: Leg, kind: LegTransport | TransportKind): Transport | undefined {
    let loop: Transport | undefined;
    for (const entry of this.#entries) {
      if (entry.leg !== leg) continue;
      if (entry.transport.kind === kind) return entry.transport;
      if (entry.transport.kind === 'loop') loop = entry.transport;
    }
    return loop;
  }

  /** Which transport (and leg) a flow belongs to, or undefined. */
  find(flow: Flow): LegTransportEntry | undefined {
    let byPort: LegTransportEntry | undefined;
    let candidates = 0;
    for (const entry of this.#entries) {
      if (entry.transport.kind !== flow.transport) continue;
      for (const local of entry.transport.addresses()) {
        if (local.port !== flow.local.port) continue;
        if (normalizeAddress(local.address) === flow.local.address) return entry;
        byPort = entry;
        candidates++;
      }
    }
    return candidates === 1 ? byPort : undefined;
  }

  legOf(flow: Flow): Leg | undefined {
    return this.find(flow)?.leg;
  }

  /** A flow from a leg's transport of `kind` to `remote` (TCP/TLS: reuses an open connection, else connects). */
  flowTo(leg: Leg, kind: LegTransport | TransportKind, remote: Endpoint): Flow | undefined {
    const transport = this.pick(leg, kind);
    if (transport === undefined) return undefined;
    return makeFlow(transport.kind, transport.address(), remote);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.#entries.map((entry) => entry.transport.close()));
  }
}

/** The transport name a Via and a `transport=` URI parameter use for a flow (loop behaves like UDP). */
export function viaTransport(kind: TransportKind | string): LegTransport {
  return kind === 'tcp' || kind === 'tls' ? kind : 'udp';
}
