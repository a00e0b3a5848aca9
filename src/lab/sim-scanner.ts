/**
 * One scanner of the lab: a family's tool on its own loopback address, aiming at the guard's WAN
 * address and real port on the family's schedule. Each burst is announced, each message reported as
 * it leaves; any answer it gets is reported too (the guard stays silent for scanners, so none comes).
 */
import type { Endpoint } from '../transport/flow.js';
import type { Logger } from '../transport/logger.js';
import type { LabRandom } from './lab-random.js';
import type { LabTimers } from './lab-timers.js';
import type { ScannerFamily } from './scanners/scanner-family.js';
import type { ScannerId } from './scanners/scanner-id.js';
import { SipPeer } from './sip-peer.js';

export interface ScannerHooks {
  burst(scanner: ScannerId, what: string, messages: number): void;
  sent(scanner: ScannerId, method: string, requestUri: string): void;
  answered(scanner: ScannerId, status: number): void;
}

export interface ScannerOptions {
  readonly family: ScannerFamily;
  readonly address: string;
  readonly target: Endpoint;
  /** Multiplies the family's first delay, gaps and pacing (1 = real pace). */
  readonly scale: number;
  readonly floodSize: number;
  readonly timers: LabTimers;
  readonly random: LabRandom;
  readonly hooks: ScannerHooks;
  readonly logger?: Logger;
}

export class SimScanner {
  readonly peer: SipPeer;
  readonly #o: ScannerOptions;
  #round = 0;

  constructor(options: ScannerOptions) {
    this.#o = options;
    this.peer = new SipPeer(
      { address: options.address, port: options.family.port },
      ({ msg }) => {
        if (!msg.isRequest) options.hooks.answered(options.family.id, msg.status);
      },
      options.logger,
    );
  }

  get family(): ScannerFamily {
    return this.#o.family;
  }

  /** Binds the scanner's socket. */
  start(): Promise<Endpoint> {
    return this.peer.start();
  }

  /** Starts the family's schedule: the first burst after `firstMs`, then one every `everyMs` (±20 %), scaled. */
  schedule(): void {
    this.#schedule(this.#o.family.firstMs);
  }

  stop(): Promise<void> {
    return this.peer.stop();
  }

  #schedule(ms: number): void {
    this.#o.timers.after(Math.round(ms * this.#o.scale), () => {
      this.#burst();
      this.#schedule(this.#o.random.jitter(this.#o.family.everyMs));
    });
  }

  #burst(): void {
    const { family, target, random, hooks } = this.#o;
    const burst = family.burst({ self: this.peer.address, target, random, floodSize: this.#o.floodSize }, this.#round++);
    hooks.burst(family.id, burst.what, burst.messages.length);
    const queue = [...burst.messages];
    const tick = (): void => {
      for (const text of queue.splice(0, Math.max(1, burst.perTick))) {
        this.peer.send(target, text);
        const line = startLine(text);
        hooks.sent(family.id, line.method, line.uri);
      }
      if (queue.length > 0) this.#o.timers.after(Math.max(1, Math.round(burst.gapMs * this.#o.scale)), tick);
    };
    tick();
  }
}

/** The method and Request-URI of a request's start line (`METHOD uri SIP/2.0`). */
function startLine(text: string): { method: string; uri: string } {
  const [method = '?', uri = '?'] = text.slice(0, text.indexOf('\r\n')).split(' ');
  return { method, uri };
}
