/**
 * SIP over UDP (RFC 3261 §18): one socket per listen address, IPv4 (`udp4`) or IPv6 (`udp6`; a `::`
 * socket is dual-stack and reports IPv4 peers as plain IPv4, see `flow.ts`). Each datagram is one
 * message: it is delivered whole, with its Flow, and the parser decides whether it is SIP.
 *
 * Before delivery (`classify-datagram.ts`): over `maxMessageSize` → dropped and reported
 * `too-large`; a lone CRLF, a CRLFCRLF ping or an empty datagram → consumed and reported as a
 * keep-alive, not answered (STUN keep-alives, RFC 5626 §4.4.2, are out of scope).
 *
 * Replies leave from the socket the flow arrived on (same local address and port, which NATs and
 * RFC 3581 `rport` rely on); a Destination without a flow uses the first socket of its family.
 *
 * Each socket asks for a deep receive buffer (`receiveBufferBytes`, default 4 MiB; Linux grants at
 * most `net.core.rmem_max` and doubles it for its bookkeeping), so that a flood's burst waits in the
 * kernel while the guard works instead of being lost. What was granted is logged at debug level.
 *
 * The bound sockets can be read by other processes too (`sharedSockets`, `setReading(false)`,
 * `inject` for what they hand back: `proxy/wan-readers/`); sending always stays here.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { classifyDatagram } from './classify-datagram.js';
import { excerpt } from './excerpt.js';
import { addressFamily, formatEndpoint, makeFlow, normalizeAddress, sameEndpoint, type Endpoint } from './flow.js';
import { safeHooks, type SafeHooks } from './safe-hooks.js';
import { setReading, sharableFd } from './udp-socket-sharing.js';
import { resolveLimits, type TransportLimits } from './limits.js';
import { TransportError } from './transport-error.js';
import { isFlow, targetEndpoint, type SendTarget, type Transport, type TransportOptions } from './transport.js';

export interface UdpTransportOptions extends TransportOptions {
  /** SO_RCVBUF to ask for, default {@link UDP_RECEIVE_BUFFER}; 0 keeps the system's default. */
  readonly receiveBufferBytes?: number;
}

/** The receive buffer each UDP socket asks for (the kernel caps it at net.core.rmem_max). */
export const UDP_RECEIVE_BUFFER = 4 * 1024 * 1024;

interface Bound {
  readonly socket: Socket;
  readonly local: Endpoint;
  readonly family: 4 | 6;
}

/** A bound socket other processes can read from (`wan-readers/`): its index in this transport and its descriptor. */
export interface SharedUdpSocket {
  readonly index: number;
  readonly fd: number;
  readonly type: 'udp4' | 'udp6';
  readonly local: Endpoint;
}

export class UdpTransport implements Transport {
  readonly kind = 'udp' as const;
  readonly #listen: readonly Endpoint[];
  readonly #limits: TransportLimits;
  readonly #hooks: SafeHooks;
  readonly #bound: Bound[] = [];
  readonly #receiveBuffer: number;
  #state: 'new' | 'listening' | 'closed' = 'new';

  constructor(options: UdpTransportOptions) {
    this.#listen = options.listen;
    this.#receiveBuffer = options.receiveBufferBytes ?? UDP_RECEIVE_BUFFER;
    this.#limits = resolveLimits(options.limits);
    this.#hooks = safeHooks(options);
  }

  async listen(): Promise<void> {
    if (this.#state !== 'new') throw new Error('udp transport: listen() called twice');
    this.#state = 'listening';
    try {
      for (const endpoint of this.#listen) this.#bound.push(await this.#bind(endpoint));
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** The largest datagram handled as a message (bigger ones are reported `too-large`). */
  get maxMessageSize(): number {
    return this.#limits.maxMessageSize;
  }

  address(): Endpoint {
    const first = this.#bound[0];
    if (first === undefined) throw new TransportError('TRANSPORT_NOT_LISTENING', 'udp transport is not listening');
    return first.local;
  }

  addresses(): readonly Endpoint[] {
    return this.#bound.map((b) => b.local);
  }

  send(to: SendTarget, data: Uint8Array): Promise<void> {
    if (this.#state !== 'listening') {
      return Promise.reject(new TransportError('TRANSPORT_CLOSED', `udp transport is ${this.#state === 'new' ? 'not listening' : 'closed'}`));
    }
    if (to.transport !== 'udp') {
      return Promise.reject(new TransportError('TRANSPORT_WRONG_KIND', `cannot send ${to.transport} on a udp transport`));
    }
    const remote = targetEndpoint(to);
    const address = normalizeAddress(remote.address);
    const bound = this.#pick(isFlow(to) ? to.local : undefined, addressFamily(address));
    if (bound === undefined) {
      return Promise.reject(new TransportError('TRANSPORT_NO_ROUTE', `no udp socket can reach ${formatEndpoint(remote)}`));
    }
    // A dual-stack udp6 socket reaches IPv4 peers through their IPv4-mapped address.
    const wire = bound.family === 6 && addressFamily(address) === 4 ? `::ffff:${address}` : address;
    return new Promise((resolve, reject) => {
      const fail = (err: unknown): void =>
        reject(new TransportError('TRANSPORT_SEND_FAILED', `udp send to ${formatEndpoint(remote)} failed`, { cause: err }));
      try {
        bound.socket.send(data, remote.port, wire, (err) => (err ? fail(err) : resolve()));
      } catch (err) {
        fail(err); // node:dgram throws synchronously on a bad port or address
      }
    });
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    const bound = this.#bound.splice(0);
    await Promise.all(bound.map((b) => new Promise<void>((resolve) => b.socket.close(() => resolve()))));
  }

  /**
   * The bound sockets, for reader processes to read from as well (`proxy/wan-readers/`); null when
   * this Node cannot share them (see `udp-socket-sharing.ts`) or the transport is not listening.
   */
  sharedSockets(): readonly SharedUdpSocket[] | null {
    if (this.#state !== 'listening' || this.#bound.length === 0) return null;
    const shared: SharedUdpSocket[] = [];
    for (const [index, bound] of this.#bound.entries()) {
      const fd = sharableFd(bound.socket);
      if (fd === null) return null;
      shared.push({ index, fd, type: bound.family === 6 ? 'udp6' : 'udp4', local: bound.local });
    }
    return shared;
  }

  /** Stops (false) or restarts (true) reading in this process, while readers elsewhere read; sending goes on. */
  setReading(on: boolean): boolean {
    return this.#bound.every((b) => setReading(b.socket, on));
  }

  /** A datagram another process read from socket `index`: handled exactly as one read here. */
  inject(index: number, data: Buffer, remote: { readonly address: string; readonly port: number }): void {
    const bound = this.#bound[index];
    if (bound === undefined || this.#state !== 'listening') return;
    this.#onDatagram(bound, data, remote);
  }

  #bind(endpoint: Endpoint): Promise<Bound> {
    const family = addressFamily(endpoint.address);
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind({ address: endpoint.address, port: endpoint.port }, () => {
        socket.removeListener('error', onError);
        socket.on('error', (err: Error) => this.#hooks.logger.warn('udp socket error', { error: err.message }));
        const bound: Bound = { socket, local: { address: endpoint.address, port: socket.address().port }, family };
        this.#deepenReceiveBuffer(bound);
        socket.on('message', (data: Buffer, rinfo: RemoteInfo) => this.#onDatagram(bound, data, rinfo));
        resolve(bound);
      });
    });
  }

  #deepenReceiveBuffer({ socket, local }: Bound): void {
    if (this.#receiveBuffer <= 0) return;
    try {
      socket.setRecvBufferSize(this.#receiveBuffer);
      this.#hooks.logger.debug('udp receive buffer', { local: formatEndpoint(local), asked: this.#receiveBuffer, granted: socket.getRecvBufferSize() });
    } catch (err) {
      this.#hooks.logger.debug('udp receive buffer left at the default', { local: formatEndpoint(local), error: String(err) });
    }
  }

  #onDatagram(bound: Bound, data: Buffer, rinfo: Pick<RemoteInfo, 'address' | 'port'>): void {
    const at = this.#hooks.now();
    const flow = makeFlow('udp', bound.local, { address: rinfo.address, port: rinfo.port });
    switch (classifyDatagram(data, this.#limits.maxMessageSize)) {
      case 'too-large':
        this.#hooks.drop({
          flow,
          reason: 'too-large',
          excerpt: excerpt(data),
          detail: `datagram of ${data.length} bytes over the ${this.#limits.maxMessageSize}-byte limit`,
          at,
        });
        return;
      case 'keepalive':
        this.#hooks.keepAlive({ flow, kind: data.length === 4 ? 'ping' : 'crlf', at });
        return;
      case 'message':
        this.#hooks.message({ data, flow, receivedAt: at });
        return;
    }
  }

  /** The socket a flow arrived on, else the first one that can reach `family`. */
  #pick(local: Endpoint | undefined, family: 4 | 6): Bound | undefined {
    if (local !== undefined) {
      const own = this.#bound.find((b) => sameEndpoint(b.local, local));
      if (own !== undefined) return own;
    }
    return (
      this.#bound.find((b) => b.family === family) ??
      (family === 4 ? this.#bound.find((b) => b.family === 6 && b.local.address === '::') : undefined)
    );
  }
}
