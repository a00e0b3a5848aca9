/**
 * The live feed (`GET /api/stream`, text/event-stream, WHATWG HTML §9.2): each connected browser gets
 * every message broadcast from then on, and a comment line as heartbeat. Bounded: at most
 * `maxClients` at once (the next one is refused with 503), and a client whose unsent backlog grows
 * past `maxBacklogBytes` — a slow or stalled reader — is dropped; it reconnects and starts afresh.
 * Each message type may have a rate cap per second (a flood must not become a flood of messages):
 * what is over the cap is counted, not sent.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../util/clock.js';
import { SECURITY_HEADERS } from './http-kit.js';

export interface LiveFeedOptions {
  readonly clock: Clock;
  readonly maxClients?: number;
  readonly maxBacklogBytes?: number;
  readonly heartbeatMs?: number;
  /** Most messages per second by type (types not named are not capped). */
  readonly ratePerSecond?: Readonly<Record<string, number>>;
}

export interface LiveFeedStats {
  readonly clients: number;
  readonly refused: number;
  readonly droppedSlow: number;
  /** Messages not sent because their type was over its rate cap. */
  readonly skipped: number;
}

export class LiveFeed {
  readonly #clock: Clock;
  readonly #maxClients: number;
  readonly #maxBacklog: number;
  readonly #heartbeatMs: number;
  readonly #rates: Readonly<Record<string, number>>;
  readonly #clients = new Set<ServerResponse>();
  /** Messages sent per type in the current second. */
  readonly #sentThisSecond = new Map<string, number>();
  #second = 0;
  #refused = 0;
  #droppedSlow = 0;
  #skipped = 0;
  #heartbeat: TimerHandle | undefined;

  constructor(options: LiveFeedOptions) {
    this.#clock = options.clock;
    this.#maxClients = options.maxClients ?? 32;
    this.#maxBacklog = options.maxBacklogBytes ?? 256 * 1024;
    this.#heartbeatMs = options.heartbeatMs ?? 15_000;
    this.#rates = options.ratePerSecond ?? {};
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Takes the response as a stream; false when full (the caller answers 503). */
  add(res: ServerResponse): boolean {
    if (this.#clients.size >= this.#maxClients) {
      this.#refused++;
      return false;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    this.#clients.add(res);
    const forget = (): void => {
      this.#clients.delete(res);
    };
    res.on('close', forget);
    res.on('error', forget);
    if (this.#heartbeat === undefined) this.#scheduleHeartbeat();
    return true;
  }

  /** Sends one message to every client (subject to the type's rate cap); false when capped. */
  broadcast(type: string, data: unknown): boolean {
    if (this.#clients.size === 0) return true;
    if (!this.#withinRate(type)) {
      this.#skipped++;
      return false;
    }
    const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.#clients) this.#write(res, frame);
    return true;
  }

  stats(): LiveFeedStats {
    return { clients: this.#clients.size, refused: this.#refused, droppedSlow: this.#droppedSlow, skipped: this.#skipped };
  }

  /** Ends every stream. */
  close(): void {
    this.#heartbeat?.cancel();
    this.#heartbeat = undefined;
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #write(res: ServerResponse, frame: string): void {
    if (res.writableLength > this.#maxBacklog) {
      this.#droppedSlow++;
      this.#clients.delete(res);
      res.destroy();
      return;
    }
    res.write(frame);
  }

  #withinRate(type: string): boolean {
    const cap = this.#rates[type];
    if (cap === undefined) return true;
    const second = Math.floor(this.#clock.now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#sentThisSecond.clear();
    }
    const sent = this.#sentThisSecond.get(type) ?? 0;
    if (sent >= cap) return false;
    this.#sentThisSecond.set(type, sent + 1);
    return true;
  }

  #scheduleHeartbeat(): void {
    this.#heartbeat = this.#clock.setTimeout(() => {
      if (this.#clients.size === 0) {
        this.#heartbeat = undefined;
        return;
      }
      for (const res of this.#clients) this.#write(res, `: heartbeat ${this.#clock.now()}\n\n`);
      this.#scheduleHeartbeat();
    }, this.#heartbeatMs);
  }
}
