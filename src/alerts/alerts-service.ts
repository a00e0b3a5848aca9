/**
 * The alerts of a running guard, tied together: provider registration lost/restored (debounced: a
 * loss is alerted only once it has lasted `lost_after_s`; shorter ones are counted for the digest),
 * new bans (batched), the daily digest at a local time, routed through quiet hours to every channel's
 * delivery queue.
 * The sources are seams the Guard offers (`onProviderHealth`, `bans.subscribe`, the event store);
 * each is optional, so the service runs with whatever the guard has.
 */
import type { AlertsConfig } from '../config/alerts-config.js';
import type { BanChange } from '../defense/bans/ban-control.js';
import type { ProviderHealthChange } from '../proxy/provider-health-types.js';
import type { EventStore } from '../store/event-store.js';
import type { Logger } from '../transport/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { Alert } from './alert.js';
import type { AlertChannel } from './alert-channel.js';
import { AlertRouter } from './alert-router.js';
import { BanBatcher } from './ban-batcher.js';
import { digestAlert, digestFacts } from './daily-digest.js';
import { DeliveryQueue } from './delivery-queue.js';
import { nextLocalTime } from './local-time.js';
import { providerAlert } from './provider-alert.js';
import { RegistrationDebounce } from './registration-debounce.js';

const DAY_MS = 86_400_000;

export interface AlertSources {
  /** The event store, for the digest. */
  readonly events?: EventStore;
  readonly onProviderHealth?: (listener: (change: ProviderHealthChange) => void) => () => void;
  readonly bans?: { subscribe(listener: (change: BanChange) => void): () => void };
  /** How many new calls (dialog-initial INVITEs) from the provider were relayed to a phone since the guard started (a counter). */
  readonly callsReached?: () => number;
}

export interface AlertsServiceOptions {
  readonly config: AlertsConfig;
  readonly channels: readonly AlertChannel[];
  /** The IANA zone for the digest and quiet hours (config.timezone, else this machine's). */
  readonly timeZone: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retryDelaysMs?: readonly number[];
  readonly queueCapacity?: number;
  /** How long stop() waits for alerts still being delivered. Default 5 s. */
  readonly stopGraceMs?: number;
}

export class AlertsService {
  readonly queues: readonly DeliveryQueue[];
  readonly router: AlertRouter;
  readonly #o: AlertsServiceOptions;
  readonly #batcher: BanBatcher | null;
  readonly #registration: RegistrationDebounce;
  readonly #unsubscribe: Array<() => void> = [];
  #sources: AlertSources = {};
  #digestTimer: TimerHandle | undefined;
  #startedAt = 0;
  #callsAtLastDigest: { at: number; calls: number } | null = null;
  /** Registration losses that healed within the hold time, since the last digest. */
  #shortOutages = 0;

  constructor(options: AlertsServiceOptions) {
    this.#o = options;
    const { clock, logger, config } = options;
    this.queues = options.channels.map(
      (channel) =>
        new DeliveryQueue(channel, {
          clock,
          logger,
          ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
          ...(options.queueCapacity ? { capacity: options.queueCapacity } : {}),
        }),
    );
    const q = config.quietHours;
    this.router = new AlertRouter({
      clock,
      queues: this.queues,
      quietHours: q === null ? null : { from: q.from, to: q.to, timeZone: options.timeZone },
      urgent: q === null ? [] : q.urgent,
    });
    this.#batcher =
      config.bans === null ? null : new BanBatcher({ clock, batchMs: config.bans.batchSeconds * 1000, emit: (a) => this.publish(a) });
    this.#registration = new RegistrationDebounce({
      clock,
      holdMs: config.lostAfterSeconds * 1000,
      alert: (change) => this.publish(providerAlert(change)),
      shortOutage: () => this.#shortOutages++,
    });
  }

  /** Subscribes to the guard's sources and schedules the digest. Nothing happens without channels. */
  start(sources: AlertSources): void {
    if (this.queues.length === 0) return;
    this.#sources = sources;
    this.#startedAt = this.#o.clock.now();
    if (sources.onProviderHealth) this.#unsubscribe.push(sources.onProviderHealth(this.#registration.onChange));
    if (sources.bans && this.#batcher) this.#unsubscribe.push(sources.bans.subscribe(this.#batcher.onChange));
    if (sources.callsReached) this.#callsAtLastDigest = { at: this.#startedAt, calls: sources.callsReached() };
    this.#scheduleDigest();
  }

  publish(alert: Alert): void {
    this.router.publish(alert);
  }

  /** The digest of the 24 hours before now (what the schedule sends). */
  digest(): Alert {
    const now = this.#o.clock.now();
    const events = this.#sources.events;
    if (events === undefined) throw new Error('no event store: the digest needs one');
    events.flush();
    const shortOutages = { count: this.#shortOutages, withinS: this.#o.config.lostAfterSeconds };
    this.#shortOutages = 0;
    return digestAlert(digestFacts(events, now - DAY_MS, now, { callsReached: this.#callsSince(now), shortOutages }), now);
  }

  /**
   * Sends the open ban batch and what quiet hours held, waits a little for deliveries, then stops. A
   * registration loss still within its hold time is not alerted (its timer is cancelled).
   */
  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#digestTimer?.cancel();
    this.#registration.stop();
    this.#batcher?.flush();
    this.router.releaseHeld();
    this.router.stop();
    const grace = this.#o.stopGraceMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.queues.map((q) => q.idle())),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, grace))),
    ]);
    clearTimeout(timer);
    for (const q of this.queues) q.close();
  }

  /** Calls that reached a phone in the last 24 h, when the counter covers the whole window. */
  #callsSince(now: number): number | null {
    const read = this.#sources.callsReached;
    const last = this.#callsAtLastDigest;
    if (read === undefined || last === null) return null;
    const calls = read();
    this.#callsAtLastDigest = { at: now, calls };
    return now - last.at >= DAY_MS - 60_000 ? calls - last.calls : null;
  }

  #scheduleDigest(): void {
    const { config, clock, timeZone, logger } = this.#o;
    if (config.digest === null || this.#sources.events === undefined) return;
    const now = clock.now();
    const at = nextLocalTime(now, config.digest.at, timeZone);
    this.#digestTimer = clock.setTimeout(() => {
      try {
        this.publish(this.digest());
      } catch (err) {
        logger.error('the daily digest could not be computed', { error: String(err) });
      }
      this.#scheduleDigest();
    }, at - now);
  }
}
