/**
 * What TCP and TLS share: listeners, the connection table, connection limits, and connection reuse.
 *
 * RFC 3261 §18.1.1 and §18.2.2: a request or response goes out over an existing connection to the
 * destination when there is one (for a response, the connection its request arrived on), else a new
 * connection is opened. `send(flow)` therefore uses the flow's own connection, then any open
 * connection to the flow's remote endpoint, then connects to it; concurrent sends to an unconnected
 * destination share one connection attempt.
 *
 * Limits on accepted connections are checked when the TCP connection is accepted, before any TLS
 * work: over `maxConnections` in total or `maxConnectionsPerSource` from one address, the socket is
 * destroyed at once and the refusal reported.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { endpointKey, makeFlow, normalizeAddress, type Endpoint, type Flow } from './flow.js';
import { safeHooks, type SafeHooks } from './safe-hooks.js';
import { resolveLimits, type TransportLimits } from './limits.js';
import { StreamConnection } from './stream-connection.js';
import { TransportError } from './transport-error.js';
import { isFlow, targetEndpoint, type SendTarget, type Transport, type TransportOptions } from './transport.js';

/** An accepted socket as the subclass prepared it; `onSecure` is set while a TLS handshake runs. */
export interface AcceptedSocket {
  readonly socket: Socket;
  readonly onSecure?: (listener: () => void) => void;
}

type State = 'new' | 'listening' | 'closed';

export abstract class StreamTransport implements Transport {
  readonly kind: 'tcp' | 'tls';
  protected readonly limits: TransportLimits;
  protected readonly hooks: SafeHooks;
  readonly #listen: readonly Endpoint[];
  readonly #servers: Array<{ server: Server; local: Endpoint }> = [];
  readonly #byId = new Map<string, StreamConnection>();
  readonly #byRemote = new Map<string, StreamConnection>();
  /** The key a connection was asked for under, when it differs from its remote endpoint's key. */
  readonly #aliases = new Map<StreamConnection, string>();
  readonly #connecting = new Map<string, Promise<StreamConnection>>();
  readonly #perSource = new Map<string, number>();
  #inbound = 0;
  #state: State = 'new';

  protected constructor(kind: 'tcp' | 'tls', options: TransportOptions) {
    this.kind = kind;
    this.limits = resolveLimits(options.limits);
    this.hooks = safeHooks(options);
    this.#listen = options.listen;
  }

  /** Loads what the subclass needs (certificates) before the first listener opens. */
  protected async prepare(): Promise<void> {}

  protected abstract acceptSocket(raw: Socket): AcceptedSocket;

  /** Opens a connection (and completes its handshake) within `timeoutMs`, or rejects. */
  protected abstract openSocket(remote: Endpoint, serverName: string | undefined, timeoutMs: number): Promise<Socket>;

  async listen(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`${this.kind} transport: listen() called twice`);
    this.#state = 'listening';
    try {
      await this.prepare();
      for (const endpoint of this.#listen) {
        const server = createServer();
        server.on('connection', (raw: Socket) => this.#accept(raw));
        server.on('error', (err: Error) => this.hooks.logger.warn(`${this.kind} listener error`, { error: err.message }));
        const port = await listenOn(server, endpoint);
        this.#servers.push({ server, local: { address: endpoint.address, port } });
      }
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  address(): Endpoint {
    const first = this.#servers[0];
    if (first === undefined) throw new TransportError('TRANSPORT_NOT_LISTENING', `${this.kind} transport is not listening`);
    return first.local;
  }

  addresses(): readonly Endpoint[] {
    return this.#servers.map((s) => s.local);
  }

  /** Open connections (accepted and opened), for tests and metrics. */
  get connectionCount(): number {
    return this.#byId.size;
  }

  async send(to: SendTarget, data: Uint8Array): Promise<void> {
    if (this.#state !== 'listening') {
      throw new TransportError('TRANSPORT_CLOSED', `${this.kind} transport is ${this.#state === 'new' ? 'not listening' : 'closed'}`);
    }
    if (to.transport !== this.kind) {
      throw new TransportError('TRANSPORT_WRONG_KIND', `cannot send ${to.transport} on a ${this.kind} transport`);
    }
    const own = isFlow(to) ? this.#byId.get(to.id) : undefined;
    if (own !== undefined && !own.closed) return own.send(data);
    const remote = targetEndpoint(to);
    const key = endpointKey(this.kind, { address: normalizeAddress(remote.address), port: remote.port });
    const existing = this.#byRemote.get(key);
    if (existing !== undefined && !existing.closed) return existing.send(data);
    const serverName = isFlow(to) ? undefined : to.serverName;
    const connection = await this.#connect(key, remote, serverName);
    return connection.send(data);
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    for (const connection of [...this.#byId.values()]) connection.close();
    const servers = this.#servers.splice(0);
    await Promise.all(servers.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  #accept(raw: Socket): void {
    const onRawError = (err: Error): void => this.hooks.logger.debug(`${this.kind} socket error`, { error: err.message });
    raw.on('error', onRawError);
    if (this.#state !== 'listening' || raw.remoteAddress === undefined || raw.remotePort === undefined) {
      raw.destroy();
      return;
    }
    const flow = makeFlow(
      this.kind,
      { address: raw.localAddress ?? '', port: raw.localPort ?? 0 },
      { address: raw.remoteAddress, port: raw.remotePort },
    );
    const source = flow.remote.address;
    const fromSource = this.#perSource.get(source) ?? 0;
    if (this.#inbound >= this.limits.maxConnections) {
      this.#refuseConnection(raw, flow, `${this.#inbound} connections open (limit ${this.limits.maxConnections})`);
      return;
    }
    if (fromSource >= this.limits.maxConnectionsPerSource) {
      this.#refuseConnection(raw, flow, `${fromSource} connections from ${source} (limit ${this.limits.maxConnectionsPerSource})`);
      return;
    }
    this.#inbound++;
    this.#perSource.set(source, fromSource + 1);

    let accepted: AcceptedSocket;
    try {
      accepted = this.acceptSocket(raw);
    } catch (err) {
      this.hooks.logger.warn(`${this.kind} accept failed`, { flow: flow.id, error: String(err) });
      this.#release(source);
      raw.destroy();
      return;
    }
    const connection = new StreamConnection({
      socket: accepted.socket,
      flow,
      role: 'accepted',
      limits: this.limits,
      hooks: this.hooks,
      handshaking: accepted.onSecure !== undefined,
      onClose: (c) => {
        this.#forget(c);
        this.#release(source);
      },
    });
    // The connection logs its socket's errors; a TLS layer's raw socket keeps the listener above.
    if (accepted.socket === raw) raw.removeListener('error', onRawError);
    accepted.onSecure?.(() => connection.handshakeDone());
    this.#remember(connection);
  }

  /** Gives back the connection slot an accepted connection from `source` held. */
  #release(source: string): void {
    this.#inbound--;
    const left = (this.#perSource.get(source) ?? 1) - 1;
    if (left > 0) this.#perSource.set(source, left);
    else this.#perSource.delete(source);
  }

  #refuseConnection(raw: Socket, flow: Flow, detail: string): void {
    this.hooks.drop({ flow, reason: 'too-many-connections', excerpt: '', detail, at: this.hooks.now() });
    raw.destroy();
  }

  #connect(key: string, remote: Endpoint, serverName: string | undefined): Promise<StreamConnection> {
    const pending = this.#connecting.get(key);
    if (pending !== undefined) return pending;
    const attempt = Promise.resolve()
      .then(() => this.openSocket(remote, serverName, this.limits.connectTimeoutMs))
      .catch((err: unknown) => {
        if (err instanceof TransportError) throw err;
        // A synchronous refusal by node:net (a bad port, an unusable address).
        throw new TransportError('TRANSPORT_CONNECT_FAILED', `cannot connect to ${key}: ${String(err)}`, { cause: err });
      })
      .then((socket) => {
        if (this.#state !== 'listening') {
          socket.destroy();
          throw new TransportError('TRANSPORT_CLOSED', `${this.kind} transport closed while connecting`);
        }
        const flow = makeFlow(
          this.kind,
          { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
          { address: socket.remoteAddress ?? remote.address, port: socket.remotePort ?? remote.port },
        );
        const connection = new StreamConnection({
          socket,
          flow,
          role: 'connected',
          limits: this.limits,
          hooks: this.hooks,
          onClose: (c) => this.#forget(c),
        });
        this.#remember(connection);
        // Also findable under the key it was asked for (a name, or another spelling of the address).
        if (key !== endpointKey(this.kind, flow.remote)) {
          this.#byRemote.set(key, connection);
          this.#aliases.set(connection, key);
        }
        return connection;
      })
      .finally(() => this.#connecting.delete(key));
    this.#connecting.set(key, attempt);
    return attempt;
  }

  #remember(connection: StreamConnection): void {
    this.#byId.set(connection.flow.id, connection);
    this.#byRemote.set(endpointKey(this.kind, connection.flow.remote), connection);
  }

  #forget(connection: StreamConnection): void {
    if (this.#byId.get(connection.flow.id) === connection) this.#byId.delete(connection.flow.id);
    const key = endpointKey(this.kind, connection.flow.remote);
    if (this.#byRemote.get(key) === connection) this.#byRemote.delete(key);
    const alias = this.#aliases.get(connection);
    if (alias !== undefined) {
      this.#aliases.delete(connection);
      if (this.#byRemote.get(alias) === connection) this.#byRemote.delete(alias);
    }
  }
}

/** Starts listening on `endpoint`; resolves with the bound port, rejects on a listen error. */
function listenOn(server: Server, endpoint: Endpoint): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host: endpoint.address, port: endpoint.port }, () => {
      server.removeListener('error', onError);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound !== null ? bound.port : endpoint.port);
    });
  });
}
