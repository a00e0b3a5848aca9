/**
 * The transport seam (DESIGN §3): bytes in with their Flow, bytes out to a Flow or a destination.
 * Like SIP.js's transport, the boundary is tiny: one callback in, `send()` out. The transport frames
 * streams (RFC 3261 §18.3) and enforces limits; it never parses a SIP message — that is `src/sip`'s job.
 *
 * Lifecycle: construct with options and hooks, `await listen()`, then `send()`s and `onMessage`s, and
 * finally `await close()`, which stops listening and closes every connection.
 */
import type { Endpoint, Flow, TransportKind } from './flow.js';
import type { Logger } from './logger.js';
import type { TransportLimits } from './limits.js';

/** One received message (a datagram, or one framed message of a stream) and where it came from. */
export interface Received {
  readonly data: Buffer;
  readonly flow: Flow;
  /** Clock time (ms) when its last byte arrived. */
  readonly receivedAt: number;
}

/** Where to send when there is no Flow yet. `serverName` names the TLS server to verify (RFC 5922). */
export interface Destination {
  readonly transport: TransportKind;
  readonly address: string;
  readonly port: number;
  readonly serverName?: string;
}

export type SendTarget = Flow | Destination;

export function isFlow(target: SendTarget): target is Flow {
  return 'id' in target && 'remote' in target;
}

/** The remote endpoint of a send target. */
export function targetEndpoint(target: SendTarget): Endpoint {
  return isFlow(target) ? target.remote : { address: target.address, port: target.port };
}

/**
 * Why bytes or a connection were refused. Nothing is swallowed silently: each refusal is reported
 * once through `onDrop` (STYLE principle 4).
 * - `too-large`: a datagram, or a stream message's headers or declared size, over `maxMessageSize`.
 * - `too-many-connections`: over `maxConnectionsPerSource` or `maxConnections`.
 * - `idle`: no traffic for `idleTimeoutMs`.
 * - `slow`: a message (or TLS handshake) not completed within `messageTimeoutMs` (slowloris).
 * - `bad-framing`: a stream message that cannot be delimited (no or bad Content-Length).
 * - `tls-handshake`: a TLS handshake that failed (often a plain-text scanner on a TLS port).
 * - `truncated`: the peer closed a stream in the middle of a message.
 */
export type DropReason =
  | 'too-large'
  | 'too-many-connections'
  | 'idle'
  | 'slow'
  | 'bad-framing'
  | 'tls-handshake'
  | 'truncated';

export interface DropReport {
  readonly flow: Flow;
  readonly reason: DropReason;
  /** Short escaped excerpt of the refused bytes ('' when there were none). */
  readonly excerpt: string;
  /** Short explanation for people, e.g. the SipError message. */
  readonly detail: string;
  readonly at: number;
}

/**
 * RFC 5626 §3.5.1 keep-alives seen on a flow: `ping` (CRLFCRLF; answered on streams with a CRLF
 * pong), `pong` (a lone CRLF on a connection we opened), `crlf` (a lone CRLF elsewhere, or an empty
 * or CR/LF-only datagram).
 */
export interface KeepAliveReport {
  readonly flow: Flow;
  readonly kind: 'ping' | 'pong' | 'crlf';
  readonly at: number;
}

/** What a transport tells its owner. Exceptions thrown by a hook are caught and logged, never fatal. */
export interface TransportHooks {
  readonly onMessage: (message: Received) => void;
  readonly onDrop?: (report: DropReport) => void;
  readonly onKeepAlive?: (report: KeepAliveReport) => void;
  readonly logger?: Logger;
  /** Clock for `receivedAt` and reports; defaults to Date.now. */
  readonly now?: () => number;
}

/** Options shared by every listener class. */
export interface TransportOptions extends TransportHooks {
  /** One listening socket per endpoint (port 0 = a random free port). */
  readonly listen: readonly Endpoint[];
  readonly limits?: Partial<TransportLimits>;
}

export interface Transport {
  readonly kind: TransportKind;
  listen(): Promise<void>;
  /**
   * Sends bytes as they are (a keep-alive ping is `\r\n\r\n`). On TCP/TLS, reuses the connection of
   * the flow, or any open connection to that remote endpoint, else connects (RFC 3261 §18.1.1,
   * §18.2.2). Rejects with a TransportError when the bytes cannot be handed to the network.
   */
  send(to: SendTarget, data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** The first listening endpoint (after `listen()`), with the port actually bound. */
  address(): Endpoint;
  /** Every listening endpoint, in the order of `options.listen`. */
  addresses(): readonly Endpoint[];
}
