/**
 * NAT keep-alive on the WAN flow (DESIGN §2: "NAT pinholes of the WAN flow are kept open"): while
 * any binding is live, the guard sends a keep-alive towards the registrar every `intervalMs`
 * (default 25 s, under the 30 s UDP timeout of many NATs): a CRLF on UDP (RFC 3261 §7.5 lets a
 * receiver ignore empty lines before a message), the RFC 5626 §3.5.1 CRLFCRLF ping on TCP and TLS.
 */
import type { Clock, TimerHandle } from '../util/clock.js';

export const DEFAULT_KEEP_ALIVE_MS = 25_000;

export const UDP_KEEP_ALIVE = Buffer.from('\r\n', 'latin1');
export const STREAM_KEEP_ALIVE = Buffer.from('\r\n\r\n', 'latin1');

export interface NatKeepAliveOptions {
  readonly clock: Clock;
  readonly intervalMs?: number;
  /** Whether a keep-alive is needed now (a binding is live). */
  readonly needed: () => boolean;
  /** Sends one keep-alive. */
  readonly send: () => void;
}

export class NatKeepAlive {
  readonly #options: NatKeepAliveOptions;
  readonly #interval: number;
  #timer: TimerHandle | undefined;
  #sent = 0;

  constructor(options: NatKeepAliveOptions) {
    this.#options = options;
    this.#interval = options.intervalMs ?? DEFAULT_KEEP_ALIVE_MS;
    if (!Number.isFinite(this.#interval) || this.#interval <= 0) throw new RangeError('the keep-alive interval must be positive');
  }

  get sent(): number {
    return this.#sent;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#schedule();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = this.#options.clock.setTimeout(() => this.#tick(), this.#interval);
  }

  #tick(): void {
    if (this.#options.needed()) {
      this.#sent++;
      this.#options.send();
    }
    this.#schedule();
  }
}
