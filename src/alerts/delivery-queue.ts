/**
 * Delivery to one channel: a bounded queue worked one alert at a time, each retried with backoff
 * (default after 5 s, 30 s, 2 min, 10 min) before it is given up and logged. When the queue is full the
 * oldest waiting alert is dropped (and logged): memory stays bounded however long a channel is down.
 */
import type { Logger } from '../transport/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { Alert } from './alert.js';
import type { AlertChannel } from './alert-channel.js';

export interface DeliveryQueueOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Waits before each retry, ms. */
  readonly retryDelaysMs?: readonly number[];
  /** Alerts waiting at most. */
  readonly capacity?: number;
}

export interface DeliveryStats {
  readonly delivered: number;
  readonly failed: number;
  readonly dropped: number;
  readonly waiting: number;
  readonly lastError: string | null;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000];
const DEFAULT_CAPACITY = 50;

export class DeliveryQueue {
  readonly channel: AlertChannel;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #delays: readonly number[];
  readonly #capacity: number;
  readonly #waiting: Alert[] = [];
  #busy = false;
  #closed = false;
  #retry: TimerHandle | undefined;
  readonly #abort = new AbortController();
  #idle: Array<() => void> = [];
  #delivered = 0;
  #failed = 0;
  #dropped = 0;
  #lastError: string | null = null;

  constructor(channel: AlertChannel, options: DeliveryQueueOptions) {
    this.channel = channel;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#capacity = Math.max(1, options.capacity ?? DEFAULT_CAPACITY);
  }

  enqueue(alert: Alert): void {
    if (this.#closed) return;
    if (this.#waiting.length >= this.#capacity) {
      const dropped = this.#waiting.shift()!;
      this.#dropped++;
      this.#logger.warn(`alert dropped: the queue of ${this.channel.name} is full`, { kind: dropped.kind, capacity: this.#capacity });
    }
    this.#waiting.push(alert);
    if (!this.#busy) void this.#next();
  }

  stats(): DeliveryStats {
    return { delivered: this.#delivered, failed: this.#failed, dropped: this.#dropped, waiting: this.#waiting.length, lastError: this.#lastError };
  }

  /** Resolves when nothing is waiting or in flight (tests, and a clean stop). */
  idle(): Promise<void> {
    if (!this.#busy && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops retrying and aborts an attempt in flight; what is waiting is dropped (logged). */
  close(): void {
    this.#closed = true;
    this.#abort.abort();
    this.#retry?.cancel();
    if (this.#waiting.length > 0) this.#logger.warn(`${this.#waiting.length} alert(s) not delivered to ${this.channel.name}: stopping`);
    this.#dropped += this.#waiting.length;
    this.#waiting.length = 0;
    this.#busy = false;
    this.#settle();
  }

  async #next(): Promise<void> {
    const alert = this.#waiting.shift();
    if (alert === undefined || this.#closed) {
      this.#busy = false;
      this.#settle();
      return;
    }
    this.#busy = true;
    await this.#attempt(alert, 0);
  }

  async #attempt(alert: Alert, attempt: number): Promise<void> {
    try {
      const note = await this.channel.deliver(alert, this.#abort.signal);
      if (this.#closed) return;
      this.#delivered++;
      this.#logger.info(`alert delivered to ${this.channel.name}`, { kind: alert.kind, note });
    } catch (err) {
      if (this.#closed) return;
      const message = (err as Error).message;
      this.#lastError = message;
      const delay = this.#delays[attempt];
      if (delay !== undefined) {
        this.#logger.warn(`alert not delivered to ${this.channel.name}, will retry`, { kind: alert.kind, error: message, retryInMs: delay });
        this.#retry = this.#clock.setTimeout(() => void this.#attempt(alert, attempt + 1), delay);
        return;
      }
      this.#failed++;
      this.#logger.error(`alert given up after ${attempt + 1} attempts: ${this.channel.name}`, { kind: alert.kind, error: message });
    }
    await this.#next();
  }

  #settle(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
