/**
 * The guard's counters, for the dashboard and `/metrics`: messages by leg and method, verdicts by leg
 * and action, drops by reason. Bounded: methods outside the known set count as `other` (a flood of
 * invented method names cannot grow the tables), reasons are the policy's stable codes plus a few of
 * the proxy's own.
 */
import type { Leg } from '../store/guard-event.js';

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'UPDATE', 'INFO', 'MESSAGE',
  'SUBSCRIBE', 'NOTIFY', 'REFER', 'PUBLISH',
]);

/** Most distinct drop reasons counted (reasons are stable codes; this only guards against a bug). */
const MAX_REASONS = 64;

export interface GuardStatsSnapshot {
  /** `wan INVITE` → count; responses count under `wan response`. */
  readonly messages: Readonly<Record<string, number>>;
  /** `wan relay`, `wan drop`, `lan reject` ... → count. */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Primary reason → count of requests dropped or refused for it. */
  readonly drops: Readonly<Record<string, number>>;
  /** Retransmissions absorbed, stray responses, refused for a full table ... (proxy events that are not verdicts). */
  readonly proxy: Readonly<Record<string, number>>;
}

export class GuardStats {
  readonly #messages = new Map<string, number>();
  readonly #verdicts = new Map<string, number>();
  readonly #drops = new Map<string, number>();
  readonly #proxy = new Map<string, number>();

  message(leg: Leg, method: string | null, isResponse = false): void {
    const name = isResponse ? 'response' : method === null ? 'unparsed' : KNOWN_METHODS.has(method) ? method : 'other';
    bump(this.#messages, `${leg} ${name}`);
  }

  verdict(leg: Leg, action: string, reason: string | null): void {
    bump(this.#verdicts, `${leg} ${action}`);
    if (action !== 'relay' && reason !== null && (this.#drops.has(reason) || this.#drops.size < MAX_REASONS)) bump(this.#drops, reason);
  }

  proxy(what: string): void {
    bump(this.#proxy, what);
  }

  snapshot(): GuardStatsSnapshot {
    return {
      messages: Object.fromEntries(this.#messages),
      verdicts: Object.fromEntries(this.#verdicts),
      drops: Object.fromEntries(this.#drops),
      proxy: Object.fromEntries(this.#proxy),
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
