/**
 * One TCP or TLS connection: frames its byte stream into messages (RFC 3261 §18.3, `frameStream`),
 * answers RFC 5626 keep-alives, and enforces the per-connection limits:
 *
 * - bytes buffered ≤ `maxMessageSize` (plus at most one read chunk): the framer refuses a message as
 *   soon as its headers, or headers plus declared body, exceed it; the connection is then closed,
 *   because a stream cannot be resynchronised after a message it could not delimit;
 * - `messageTimeoutMs`: a started message (or a TLS handshake) must complete in time (slowloris);
 * - `idleTimeoutMs`: no traffic in either direction closes the connection; keep-alives are traffic.
 *
 * RFC 5626 §3.5.1: "the client periodically sends a double-CRLF (the 'ping') then waits to receive a
 * single CRLF (the 'pong')". A ping is answered on any connection. On an accepted connection two lone
 * CRLFs in a row also count as a ping (its halves can arrive in different segments); on a connection
 * we opened, a lone CRLF is the pong to our ping.
 *
 * Every refusal is reported once through `drop` before the socket is destroyed. Socket errors are
 * logged at debug level and end the connection; they never escape.
 */
import type { Socket } from 'node:net';
import { isSipError } from '../sip/errors.js';
import { frameStream, newFrameProgress, type FrameProgress } from '../sip/framing.js';
import { excerpt } from './excerpt.js';
import type { Flow } from './flow.js';
import type { SafeHooks } from './safe-hooks.js';
import type { TransportLimits } from './limits.js';
import { StreamBuffer } from './stream-buffer.js';
import { TransportError } from './transport-error.js';
import type { DropReason } from './transport.js';

export type ConnectionRole = 'accepted' | 'connected';

const PONG = Buffer.from('\r\n', 'latin1');

export interface StreamConnectionOptions {
  readonly socket: Socket;
  readonly flow: Flow;
  readonly role: ConnectionRole;
  readonly limits: TransportLimits;
  readonly hooks: SafeHooks;
  /** True while a TLS handshake is still running: it is timed like a started message. */
  readonly handshaking?: boolean;
  /** Called once, when the connection is gone for whatever reason. */
  readonly onClose: (connection: StreamConnection) => void;
}

export class StreamConnection {
  readonly flow: Flow;
  readonly role: ConnectionRole;
  readonly #socket: Socket;
  readonly #limits: TransportLimits;
  readonly #hooks: SafeHooks;
  readonly #onClose: (connection: StreamConnection) => void;
  readonly #buffer = new StreamBuffer();
  #progress: FrameProgress = newFrameProgress();
  #messageTimer: NodeJS.Timeout | undefined;
  #handshaking: boolean;
  /** A lone CRLF was the last frame: the next one completes a ping split across segments. */
  #halfPing = false;
  /** Set once the connection is refused or closed: later bytes are ignored. */
  #done = false;

  constructor(options: StreamConnectionOptions) {
    this.flow = options.flow;
    this.role = options.role;
    this.#socket = options.socket;
    this.#limits = options.limits;
    this.#hooks = options.hooks;
    this.#onClose = options.onClose;
    this.#handshaking = options.handshaking === true;

    const socket = this.#socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.#limits.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('timeout', () => this.#refuse('idle', `no traffic for ${this.#limits.idleTimeoutMs} ms`));
    socket.on('error', (err: Error) => this.#onError(err));
    socket.on('close', () => this.#onSocketClose());
    if (this.#handshaking) this.#armMessageTimer();
  }

  get closed(): boolean {
    return this.#done;
  }

  /** The TLS handshake finished: from now on only started messages are timed. */
  handshakeDone(): void {
    this.#handshaking = false;
    if (this.#buffer.pending === 0) this.#clearMessageTimer();
  }

  send(data: Uint8Array): Promise<void> {
    if (this.#done || this.#socket.destroyed) {
      return Promise.reject(new TransportError('TRANSPORT_CLOSED', `connection ${this.flow.id} is closed`));
    }
    return new Promise((resolve, reject) => {
      this.#socket.write(data, (err) => {
        if (err) reject(new TransportError('TRANSPORT_SEND_FAILED', `send on ${this.flow.id} failed`, { cause: err }));
        else resolve();
      });
    });
  }

  /** Closes the connection without a report (the owner asked for it). */
  close(): void {
    this.#done = true;
    this.#clearMessageTimer();
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#done) return;
    const at = this.#hooks.now();
    const buffer = this.#buffer;
    buffer.append(chunk);
    let framed = false;
    while (buffer.pending > 0 && !this.#done) {
      const frame = frameStream(buffer.bytes, buffer.head, this.#limits.maxMessageSize, this.#progress);
      if (isSipError(frame)) {
        const reason: DropReason = frame.code === 'SIP_TOO_LARGE' ? 'too-large' : 'bad-framing';
        this.#refuse(reason, `${frame.code}: ${frame.message}`);
        return;
      }
      if (frame.kind === 'incomplete') break;
      const length = frame.end - buffer.head;
      if (frame.kind === 'keepalive') {
        this.#onKeepAlive(length, at);
      } else {
        this.#halfPing = false;
        this.#hooks.message({ data: buffer.copy(length), flow: this.flow, receivedAt: at });
      }
      buffer.consume(length);
      this.#progress = newFrameProgress();
      framed = true;
    }
    if (this.#done) return;
    buffer.compact();
    if (buffer.pending === 0) {
      if (!this.#handshaking) this.#clearMessageTimer();
    } else if (framed || this.#messageTimer === undefined) {
      // A new message started: it gets the full time to complete.
      this.#armMessageTimer();
    }
  }

  #onKeepAlive(length: number, at: number): void {
    const ping = length === 4 || (this.role === 'accepted' && this.#halfPing);
    if (ping) {
      this.#halfPing = false;
      this.#socket.write(PONG, (err) => {
        if (err) this.#hooks.logger.debug('pong not sent', { flow: this.flow.id, error: err.message });
      });
      this.#hooks.keepAlive({ flow: this.flow, kind: 'ping', at });
      return;
    }
    this.#halfPing = this.role === 'accepted';
    this.#hooks.keepAlive({ flow: this.flow, kind: this.role === 'connected' ? 'pong' : 'crlf', at });
  }

  #armMessageTimer(): void {
    this.#clearMessageTimer();
    const ms = this.#limits.messageTimeoutMs;
    this.#messageTimer = setTimeout(() => {
      this.#messageTimer = undefined;
      const what = this.#handshaking ? 'TLS handshake' : 'message';
      this.#refuse('slow', `${what} not completed within ${ms} ms`);
    }, ms);
    this.#messageTimer.unref();
  }

  #clearMessageTimer(): void {
    if (this.#messageTimer !== undefined) {
      clearTimeout(this.#messageTimer);
      this.#messageTimer = undefined;
    }
  }

  /** Reports a refusal once, then destroys the socket. */
  #refuse(reason: DropReason, detail: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#clearMessageTimer();
    const pending = this.#buffer.bytes.subarray(this.#buffer.head);
    this.#hooks.drop({ flow: this.flow, reason, excerpt: excerpt(pending), detail, at: this.#hooks.now() });
    this.#buffer.clear();
    this.#socket.destroy();
  }

  #onError(err: Error): void {
    if (this.#handshaking && !this.#done) {
      this.#refuse('tls-handshake', err.message);
      return;
    }
    this.#hooks.logger.debug('connection error', { flow: this.flow.id, error: err.message });
  }

  #onSocketClose(): void {
    if (!this.#done && this.#buffer.pending > 0) {
      this.#refuse('truncated', `peer closed the connection with ${this.#buffer.pending} bytes of an unfinished message`);
    }
    this.#done = true;
    this.#clearMessageTimer();
    this.#buffer.clear();
    this.#onClose(this);
  }
}
