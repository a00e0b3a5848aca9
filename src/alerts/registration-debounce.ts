/**
 * Debounces the provider registration alerts per account, so a flapping registration (a flaky provider
 * or NAT: lost, restored, lost every minute) does not flood the user. A `lost` alert goes out only when
 * the account has stayed lost for the hold time; a `restored` alert only when a `lost` alert was sent
 * for that account. A loss that heals within the hold time sends nothing and is counted as a short
 * outage (for the daily digest). A hold of 0 sends `lost` at once (no debounce).
 *
 * Per account: absent (registered, or never lost) → `pending` (lost, timer running) → `alerted` (the
 * lost alert was sent) → absent on `restored`. Timers go through the injected clock; `stop()` cancels
 * them without sending. Bounded: at most `maxAccounts` accounts are tracked; beyond, the oldest
 * is forgotten (a pending one has its lost alert sent first, so no loss goes unreported).
 */
import type { ProviderHealthChange } from '../proxy/provider-health-types.js';
import type { Clock, TimerHandle } from '../util/clock.js';

/** As many accounts as the guard's provider-health tracker keeps. */
const MAX_ACCOUNTS = 10_000;

type Account = { readonly state: 'pending'; readonly lost: ProviderHealthChange; readonly timer: TimerHandle } | { readonly state: 'alerted' };

export interface RegistrationDebounceOptions {
  readonly clock: Clock;
  /** How long a registration must stay lost before the lost alert; 0: at once. */
  readonly holdMs: number;
  /** Called with the change to alert about (a `lost` after the hold, or a `restored` after a sent `lost`). */
  readonly alert: (change: ProviderHealthChange) => void;
  /** Called when a loss healed within the hold time (no alert was sent). */
  readonly shortOutage?: (lost: ProviderHealthChange, restored: ProviderHealthChange) => void;
  /** Most accounts tracked at once; default {@link MAX_ACCOUNTS}. */
  readonly maxAccounts?: number;
}

export class RegistrationDebounce {
  readonly #o: RegistrationDebounceOptions;
  readonly #accounts = new Map<string, Account>();

  constructor(options: RegistrationDebounceOptions) {
    this.#o = options;
  }

  /** The listener for the guard's `onProviderHealth`. */
  readonly onChange = (change: ProviderHealthChange): void => {
    const account = this.#accounts.get(change.aor);
    if (change.kind === 'lost') {
      if (account !== undefined) return; // already lost (pending or alerted)
      if (this.#o.holdMs <= 0) {
        this.#track(change.aor, { state: 'alerted' });
        this.#o.alert(change);
        return;
      }
      const timer = this.#o.clock.setTimeout(() => this.#holdOver(change), this.#o.holdMs);
      this.#track(change.aor, { state: 'pending', lost: change, timer });
      return;
    }
    if (account === undefined) return; // no lost alert was sent for it: nothing to restore
    this.#accounts.delete(change.aor);
    if (account.state === 'pending') {
      account.timer.cancel();
      this.#o.shortOutage?.(account.lost, change);
    } else {
      this.#o.alert(change);
    }
  };

  /** Accounts whose lost alert is waiting for the hold time. */
  get pending(): number {
    let n = 0;
    for (const a of this.#accounts.values()) if (a.state === 'pending') n++;
    return n;
  }

  /** Cancels the pending timers without sending (the guard stops) and forgets every account. */
  stop(): void {
    for (const a of this.#accounts.values()) if (a.state === 'pending') a.timer.cancel();
    this.#accounts.clear();
  }

  #holdOver(lost: ProviderHealthChange): void {
    const account = this.#accounts.get(lost.aor);
    if (account?.state !== 'pending' || account.lost !== lost) return;
    this.#accounts.set(lost.aor, { state: 'alerted' });
    this.#o.alert(lost);
  }

  #track(aor: string, account: Account): void {
    if (this.#accounts.size >= (this.#o.maxAccounts ?? MAX_ACCOUNTS)) {
      const [oldest, forgotten] = this.#accounts.entries().next().value as [string, Account];
      this.#accounts.delete(oldest);
      if (forgotten.state === 'pending') {
        forgotten.timer.cancel();
        this.#o.alert(forgotten.lost);
      }
    }
    this.#accounts.set(aor, account);
  }
}
