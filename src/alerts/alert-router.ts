/**
 * Routes each alert to every channel's {@link DeliveryQueue}, except during quiet hours: then
 * non-urgent alerts are held and, when quiet hours end, sent as one summary (a single held alert is
 * sent as it is). Urgent kinds (by default registration-lost) go out at once. The hold is bounded:
 * at most {@link MAX_HELD} alerts are kept in full, the rest are counted.
 */
import type { Clock, TimerHandle } from '../util/clock.js';
import type { Alert, AlertKind } from './alert.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { isQuiet, quietEnd, type QuietHours } from './quiet-hours.js';

const MAX_HELD = 20;

export interface AlertRouterOptions {
  readonly clock: Clock;
  readonly queues: readonly DeliveryQueue[];
  readonly quietHours: QuietHours | null;
  /** Kinds delivered even during quiet hours. */
  readonly urgent: readonly AlertKind[];
}

export class AlertRouter {
  readonly #o: AlertRouterOptions;
  #held: Alert[] = [];
  #heldMore = 0;
  #release: TimerHandle | undefined;

  constructor(options: AlertRouterOptions) {
    this.#o = options;
  }

  publish(alert: Alert): void {
    const { quietHours, clock } = this.#o;
    const now = clock.now();
    if (quietHours !== null && !this.#o.urgent.includes(alert.kind) && isQuiet(quietHours, now)) {
      if (this.#held.length < MAX_HELD) this.#held.push(alert);
      else this.#heldMore++;
      this.#release ??= clock.setTimeout(() => this.releaseHeld(), quietEnd(quietHours, now) - now);
      return;
    }
    this.#send(alert);
  }

  /** Alerts waiting for the end of quiet hours. */
  get held(): number {
    return this.#held.length + this.#heldMore;
  }

  /** Sends what was held (at the end of quiet hours, or when the guard stops). */
  releaseHeld(): void {
    this.#release?.cancel();
    this.#release = undefined;
    const held = this.#held;
    const more = this.#heldMore;
    this.#held = [];
    this.#heldMore = 0;
    if (held.length === 0) return;
    this.#send(held.length === 1 && more === 0 ? held[0]! : quietSummary(held, more, this.#o.clock.now()));
  }

  stop(): void {
    this.#release?.cancel();
    this.#release = undefined;
  }

  #send(alert: Alert): void {
    for (const queue of this.#o.queues) queue.enqueue(alert);
  }
}

export function quietSummary(held: readonly Alert[], more: number, at: number): Alert {
  const n = held.length + more;
  const section = (lang: 'en' | 'ja'): string =>
    held.map((a) => `■ ${a.title[lang]}\n${a.text[lang]}`).join('\n\n') +
    (more > 0 ? (lang === 'en' ? `\n\n…and ${more} more.` : `\n\n…ほか ${more} 件。`) : '');
  return {
    kind: 'quiet-summary',
    at,
    title: { en: `During quiet hours: ${n} alerts`, ja: `おやすみ時間中のお知らせ：${n} 件` },
    text: {
      en: `These alerts came during quiet hours and were held until now.\n\n${section('en')}`,
      ja: `おやすみ時間中に発生し、保留していたお知らせです。\n\n${section('ja')}`,
    },
    details: {
      count: n,
      alerts: held.map((a) => ({ kind: a.kind, at: new Date(a.at).toISOString(), title: a.title, details: a.details })),
    },
  };
}
