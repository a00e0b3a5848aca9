/**
 * An in-memory network for tests (like pjsip's loop transport): endpoints on one `LoopNetwork`
 * exchange messages without sockets, so a whole stack — phones, guard, provider, scanners — runs in
 * one process, deterministically and fast.
 *
 * It behaves like a datagram network: every `send()` is delivered later (never inside the sender's
 * call stack: each delivery is its own `setImmediate` turn, in send order), as a copy of the bytes,
 * to the endpoint listening on the destination address and port, with a Flow whose transport is
 * `loop`. A Destination of any transport kind is accepted (the loop stands in for all of them). The
 * receiver applies the same checks as UDP: over `maxMessageSize` → dropped `too-large`; CR/LF-only
 * → a keep-alive. Bytes sent to nobody (no such endpoint, or it closed before delivery) are counted
 * in `undelivered` and reported to `onUndelivered`, the way a real network would lose them.
 */
import { classifyDatagram } from './classify-datagram.js';
import { excerpt } from './excerpt.js';
import { formatEndpoint, makeFlow, type Endpoint } from './flow.js';
import { safeHooks, type SafeHooks } from './safe-hooks.js';
import { resolveLimits, type TransportLimits } from './limits.js';
import { TransportError } from './transport-error.js';
import { targetEndpoint, type SendTarget, type Transport, type TransportHooks } from './transport.js';

export interface LoopNetworkOptions {
  /** Told about every message that reached no endpoint. */
  readonly onUndelivered?: (info: { from: Endpoint; to: Endpoint; bytes: number }) => void;
}

export interface LoopTransportOptions extends TransportHooks {
  /** Port 0 picks a free port of this network (from 40000 up). */
  readonly listen: Endpoint;
  readonly limits?: Partial<TransportLimits>;
}

const FIRST_FREE_PORT = 40_000;

export class LoopNetwork {
  readonly #endpoints = new Map<string, LoopTransport>();
  readonly #onUndelivered: LoopNetworkOptions['onUndelivered'];
  #nextPort = FIRST_FREE_PORT;
  #undelivered = 0;

  constructor(options: LoopNetworkOptions = {}) {
    this.#onUndelivered = options.onUndelivered;
  }

  /** A new, not yet listening endpoint on this network. */
  endpoint(options: LoopTransportOptions): LoopTransport {
    return new LoopTransport(this, options);
  }

  /** Messages that reached no endpoint so far. */
  get undelivered(): number {
    return this.#undelivered;
  }

  /** @internal Registers a listening endpoint; returns its bound port. */
  attach(transport: LoopTransport, wanted: Endpoint): Endpoint {
    let port = wanted.port;
    if (port === 0) {
      while (this.#endpoints.has(formatEndpoint({ address: wanted.address, port: this.#nextPort }))) this.#nextPort++;
      port = this.#nextPort++;
    }
    const bound = { address: wanted.address, port };
    const key = formatEndpoint(bound);
    if (this.#endpoints.has(key)) throw new TransportError('TRANSPORT_NOT_LISTENING', `loop address ${key} in use`);
    this.#endpoints.set(key, transport);
    return bound;
  }

  /** @internal */
  detach(bound: Endpoint, transport: LoopTransport): void {
    const key = formatEndpoint(bound);
    if (this.#endpoints.get(key) === transport) this.#endpoints.delete(key);
  }

  /** @internal Queues one delivery. */
  transmit(from: Endpoint, to: Endpoint, data: Buffer): void {
    setImmediate(() => {
      const receiver = this.#endpoints.get(formatEndpoint(to));
      if (receiver === undefined || !receiver.receive(from, data)) {
        this.#undelivered++;
        this.#onUndelivered?.({ from, to, bytes: data.length });
      }
    });
  }
}

export class LoopTransport implements Transport {
  readonly kind = 'loop' as const;
  readonly #network: LoopNetwork;
  readonly #wanted: Endpoint;
  readonly #limits: TransportLimits;
  readonly #hooks: SafeHooks;
  #bound: Endpoint | undefined;
  #state: 'new' | 'listening' | 'closed' = 'new';

  constructor(network: LoopNetwork, options: LoopTransportOptions) {
    this.#network = network;
    this.#wanted = options.listen;
    this.#limits = resolveLimits(options.limits);
    this.#hooks = safeHooks(options);
  }

  async listen(): Promise<void> {
    if (this.#state !== 'new') throw new Error('loop transport: listen() called twice');
    this.#bound = this.#network.attach(this, this.#wanted);
    this.#state = 'listening';
  }

  address(): Endpoint {
    if (this.#bound === undefined) throw new TransportError('TRANSPORT_NOT_LISTENING', 'loop transport is not listening');
    return this.#bound;
  }

  addresses(): readonly Endpoint[] {
    return this.#bound === undefined ? [] : [this.#bound];
  }

  async send(to: SendTarget, data: Uint8Array): Promise<void> {
    if (this.#state !== 'listening' || this.#bound === undefined) {
      throw new TransportError('TRANSPORT_CLOSED', `loop transport is ${this.#state === 'new' ? 'not listening' : 'closed'}`);
    }
    const remote = targetEndpoint(to);
    this.#network.transmit(this.#bound, { address: remote.address, port: remote.port }, Buffer.from(data));
  }

  async close(): Promise<void> {
    if (this.#bound !== undefined) this.#network.detach(this.#bound, this);
    this.#state = 'closed';
  }

  /** @internal Called by the network; false when this endpoint no longer listens. */
  receive(from: Endpoint, data: Buffer): boolean {
    if (this.#state !== 'listening' || this.#bound === undefined) return false;
    const at = this.#hooks.now();
    const flow = makeFlow('loop', this.#bound, from);
    switch (classifyDatagram(data, this.#limits.maxMessageSize)) {
      case 'too-large':
        this.#hooks.drop({
          flow,
          reason: 'too-large',
          excerpt: excerpt(data),
          detail: `message of ${data.length} bytes over the ${this.#limits.maxMessageSize}-byte limit`,
          at,
        });
        break;
      case 'keepalive':
        this.#hooks.keepAlive({ flow, kind: data.length === 4 ? 'ping' : 'crlf', at });
        break;
      case 'message':
        this.#hooks.message({ data, flow, receivedAt: at });
        break;
    }
    return true;
  }
}
