/**
 * The server's live state, fed from the guard as things happen: the per-minute timeline, the live
 * feed's broadcasts (stats every second, events, bans, timeline changes, lab happenings), and the
 * counters of /metrics that the guard does not keep itself (blocked by family, bans added).
 */
import type { BanChange } from '../defense/bans/ban-control.js';
import type { GuardStatus } from '../proxy/guard.js';
import type { GuardEvent } from '../store/guard-event.js';
import { ApiError } from './http-kit.js';
import type { TimerHandle } from '../util/clock.js';
import { apiEvent } from './event-row.js';
import { LiveFeed } from './live-feed.js';
import { countBansInForce } from './metrics-bans.js';
import { SelfTest } from './self-test.js';
import { Timeline, type TimelineBucket } from './timeline.js';
import type { WebDeps } from './web-deps.js';

export interface Totals {
  readonly delivered: number;
  readonly blocked: number;
  readonly banned: number;
  readonly relayed: number;
  readonly messages: number;
}

/** Most families counted for /metrics (the rest count as `other`). */
const MAX_FAMILIES = 64;

export class WebState {
  readonly deps: WebDeps;
  readonly startedAt: number;
  readonly timeline = new Timeline();
  readonly feed: LiveFeed;
  readonly selfTest: SelfTest;
  readonly blockedByFamily = new Map<string, number>();
  bansAdded = 0;
  readonly #unsubscribe: Array<() => void> = [];
  #tick: TimerHandle | undefined;
  #delivered = 0;
  #lastBucket = '';

  constructor(deps: WebDeps) {
    this.deps = deps;
    this.startedAt = deps.clock.now();
    this.feed = new LiveFeed({ clock: deps.clock, ratePerSecond: { event: 20, lab: 50 } });
    this.selfTest = new SelfTest(deps.probe ?? null, deps.selfTestTimeoutMs);
  }

  start(): void {
    this.#delivered = this.deps.guard.stats().delivered;
    this.#unsubscribe.push(this.deps.events.subscribe((e) => this.#recorded(e)));
    this.#unsubscribe.push(this.deps.events.subscribeCounted((time, family) => this.#blocked(time, family)));
    this.#unsubscribe.push(this.deps.bans.subscribe((c) => this.#banChanged(c)));
    const lab = this.deps.lab;
    if (lab) {
      this.#unsubscribe.push(
        lab.subscribe((event) => {
          // Blocked requests come as `event` messages already.
          if (event.kind !== 'guard-blocked') this.feed.broadcast('lab', event);
        }),
      );
    }
    this.#schedule();
  }

  stop(): void {
    this.#tick?.cancel();
    this.#tick = undefined;
    for (const u of this.#unsubscribe.splice(0)) u();
    this.feed.close();
  }

  /** The guard's status; 503 while it is not running (starting, or stopped under the server). */
  guardStatus(): GuardStatus {
    try {
      return this.deps.guard.status();
    } catch {
      throw new ApiError(503, 'GG_UNAVAILABLE', 'the guard is not running');
    }
  }

  totals(): Totals {
    const s = this.deps.guard.stats();
    const sum = (counts: Readonly<Record<string, number>>, pick: (key: string) => boolean): number =>
      Object.entries(counts).reduce((n, [k, v]) => (pick(k) ? n + v : n), 0);
    return {
      delivered: s.delivered,
      blocked: sum(s.verdicts, (k) => !k.endsWith(' relay')),
      banned: countBansInForce(this.deps.bans),
      relayed: sum(s.verdicts, (k) => k.endsWith(' relay')),
      messages: sum(s.messages, () => true),
    };
  }

  /** Once a second: new deliveries into the timeline, `stats` to the live feed, `timeline` when the minute's bucket changed. */
  #second(): void {
    const now = this.deps.clock.now();
    const delivered = this.deps.guard.stats().delivered;
    if (delivered > this.#delivered) this.timeline.delivered(now, delivered - this.#delivered);
    this.#delivered = delivered;
    if (this.feed.size === 0) return;
    this.feed.broadcast('stats', { t: now, totals: this.totals(), feed: this.feed.stats() });
    this.#sendBucket(this.timeline.current(now));
  }

  #sendBucket(bucket: TimelineBucket): void {
    const text = JSON.stringify(bucket);
    if (text === this.#lastBucket) return;
    this.#lastBucket = text;
    this.feed.broadcast('timeline', bucket);
  }

  #recorded(event: GuardEvent): void {
    this.#blocked(event.time, event.family);
    this.feed.broadcast('event', apiEvent(event));
  }

  /** Every blocked request, recorded in full or only counted into its row. */
  #blocked(time: number, family: string | null): void {
    this.timeline.blocked(time, family);
    if (family !== null) {
      const key = this.blockedByFamily.has(family) || this.blockedByFamily.size < MAX_FAMILIES ? family : 'other';
      this.blockedByFamily.set(key, (this.blockedByFamily.get(key) ?? 0) + 1);
    }
  }

  #banChanged(change: BanChange): void {
    if (change.kind === 'added' && !change.dryRun) this.bansAdded++;
    this.feed.broadcast('ban', change);
  }

  #schedule(): void {
    this.#tick = this.deps.clock.setTimeout(() => {
      try {
        this.#second();
      } catch (error) {
        this.deps.logger?.warn('the dashboard could not read the guard', { error: String(error) });
      }
      this.#schedule();
    }, 1000);
  }
}
