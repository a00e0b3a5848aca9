/**
 * The guard's counters, for the dashboard and `/metrics`: messages by leg and method, verdicts by leg
 * and action, drops by reason. Bounded: methods outside the known set count as `other` (a flood of
 * invented method names cannot grow the tables), reasons are the policy's stable codes plus a few of
 * the proxy's own.
 */
import type { Leg } from '../store/guard-event.js';

/** Methods counted by name; any other is counted as `other`. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'UPDATE', 'INFO', 'MESSAGE',
  'SUBSCRIBE', 'NOTIFY', 'REFER', 'PUBLISH',
]);

/** Most distinct drop reasons counted (reasons are stable codes; this only guards against a bug). */
const MAX_REASONS = 64;

/** Upper bounds (seconds) of the relay latency histogram's buckets; the last bucket is +Inf. */
export const LATENCY_BUCKETS_S: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** A request relayed from one leg to the other, as the guard's send path sees it. */
export interface RelaySample {
  readonly method: string;
  readonly from: Leg;
  readonly to: Leg;
  readonly ms: number;
  /** Out of dialog (no To tag): a new call when the method is INVITE. */
  readonly initial: boolean;
}

export interface LatencySnapshot {
  /** Per bucket of LATENCY_BUCKETS_S (then +Inf): samples at or below its bound, not cumulative. */
  readonly counts: readonly number[];
  readonly sumSeconds: number;
  readonly count: number;
}

export interface GuardStatsSnapshot {
  /** `wan INVITE` → count; responses count under `wan response`. */
  readonly messages: Readonly<Record<string, number>>;
  /** `wan relay`, `wan drop`, `lan reject` ... → count. */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Primary reason → count of requests dropped or refused for it. */
  readonly drops: Readonly<Record<string, number>>;
  /** Retransmissions absorbed, stray responses, refused for a full table ... (proxy events that are not verdicts). */
  readonly proxy: Readonly<Record<string, number>>;
  /** Provider calls (dialog-initial INVITEs from the WAN leg) relayed to a phone. */
  readonly delivered: number;
  /** Relay latency of requests relayed from one leg to the other. */
  readonly latency: LatencySnapshot;
}

export class GuardStats {
  readonly #messages = new Map<string, number>();
  readonly #verdicts = new Map<string, number>();
  readonly #drops = new Map<string, number>();
  readonly #proxy = new Map<string, number>();
  readonly #latency = new Array<number>(LATENCY_BUCKETS_S.length + 1).fill(0);
  #latencySum = 0;
  #latencyCount = 0;
  #delivered = 0;

  /** `n` (default 1) more messages received on `leg`. */
  message(leg: Leg, method: string | null, isResponse = false, n = 1): void {
    const name = isResponse ? 'response' : method === null ? 'unparsed' : KNOWN_METHODS.has(method) ? method : 'other';
    bump(this.#messages, legKey(leg, name), n);
  }

  /** `n` (default 1) more decisions. */
  verdict(leg: Leg, action: string, reason: string | null, n = 1): void {
    bump(this.#verdicts, legKey(leg, action), n);
    if (action !== 'relay' && reason !== null && (this.#drops.has(reason) || this.#drops.size < MAX_REASONS)) bump(this.#drops, reason, n);
  }

  /** `n` (default 1) more of a proxy event. */
  proxy(what: string, n = 1): void {
    bump(this.#proxy, what, n);
  }

  relayed(sample: RelaySample): void {
    if (sample.from === 'wan' && sample.to === 'lan' && sample.initial && sample.method === 'INVITE') this.#delivered++;
    const seconds = Math.max(0, sample.ms) / 1000;
    let i = LATENCY_BUCKETS_S.findIndex((bound) => seconds <= bound);
    if (i < 0) i = LATENCY_BUCKETS_S.length;
    this.#latency[i]!++;
    this.#latencySum += seconds;
    this.#latencyCount++;
  }

  snapshot(): GuardStatsSnapshot {
    return {
      messages: Object.fromEntries(this.#messages),
      verdicts: Object.fromEntries(this.#verdicts),
      drops: Object.fromEntries(this.#drops),
      proxy: Object.fromEntries(this.#proxy),
      delivered: this.#delivered,
      latency: { counts: [...this.#latency], sumSeconds: this.#latencySum, count: this.#latencyCount },
    };
  }
}

/** `wan INVITE`, made once per leg and name (every datagram of a flood counts under one). */
const LEG_KEYS: Record<Leg, Map<string, string>> = { wan: new Map(), lan: new Map() };

function legKey(leg: Leg, name: string): string {
  const keys = LEG_KEYS[leg];
  let key = keys.get(name);
  if (key === undefined) {
    key = `${leg} ${name}`;
    if (keys.size < 64) keys.set(name, key);
  }
  return key;
}

function bump(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
