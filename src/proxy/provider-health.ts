/**
 * The provider's health as the guard sees it (the contract: provider-health-types.ts). The
 * registration relay reports each REGISTER's fate (`RegistrationReport`); this keeps the latest
 * outcome per account, whether the provider answers at all, and tells listeners when an account that
 * was registered loses its registration (refused, unanswered, expired) and when it is restored.
 * A phone that de-registers on purpose is not a loss. Bounded: at most `maxAccounts` accounts (the
 * binding table is bounded too); the least recently reported account is forgotten first.
 */
import type { ProviderHealth, ProviderHealthChange, RegisterOutcome } from './provider-health-types.js';

/** What the registration relay tells about one REGISTER (or one expired registration). */
export type RegistrationReport =
  /** The provider answered with a final response or a challenge; `bound`: the account holds a live binding afterwards. */
  | { readonly kind: 'answer'; readonly aor: string; readonly at: number; readonly status: number; readonly reason: string; readonly bound: boolean }
  /** No answer: the transaction timed out, or the provider could not be reached. */
  | { readonly kind: 'no-answer'; readonly aor: string; readonly at: number; readonly why: 'timeout' | 'unreachable'; readonly waitedMs?: number }
  /** The account's last binding expired without a refresh. */
  | { readonly kind: 'expired'; readonly aor: string; readonly at: number };

interface Account {
  outcome: RegisterOutcome;
  registered: boolean;
  /** Registered before, and not any more: a `restored` is due when it registers again. */
  lost: boolean;
}

const DEFAULT_MAX_ACCOUNTS = 10_000;

export class ProviderHealthTracker {
  readonly #accounts = new Map<string, Account>();
  readonly #listeners = new Set<(change: ProviderHealthChange) => void>();
  readonly #maxAccounts: number;
  #reachable: boolean | null = null;

  readonly #onListenerError: (error: unknown) => void;

  constructor(maxAccounts = DEFAULT_MAX_ACCOUNTS, onListenerError: (error: unknown) => void = () => {}) {
    this.#maxAccounts = maxAccounts;
    this.#onListenerError = onListenerError;
  }

  take(report: RegistrationReport): void {
    const account = this.#account(report.aor, report.at);
    if (report.kind === 'expired') {
      if (account.registered) this.#lose(account, report.aor, report.at, 'the registration expired without a refresh');
      return;
    }
    if (report.kind === 'no-answer') {
      this.#reachable = false;
      account.outcome = { aor: report.aor, at: report.at, status: null };
      const what = report.why === 'timeout' ? `no answer from the provider${report.waitedMs === undefined ? '' : ` for ${Math.round(report.waitedMs / 1000)} s`}` : 'the provider could not be reached';
      if (account.registered) this.#lose(account, report.aor, report.at, what);
      return;
    }
    this.#reachable = true;
    account.outcome = { aor: report.aor, at: report.at, status: report.status };
    if (report.status === 401 || report.status === 407) return; // a challenge: the phone answers it
    if (report.status >= 200 && report.status < 300) {
      if (report.bound && account.lost) {
        account.lost = false;
        this.#emit({ kind: 'restored', aor: report.aor, at: report.at, detail: `the provider accepted the registration again (${report.status} ${report.reason})` });
      }
      account.registered = report.bound;
      return;
    }
    if (report.status >= 300 && account.registered) {
      this.#lose(account, report.aor, report.at, `the provider answered ${report.status} ${report.reason} to the refresh`);
    }
  }

  snapshot(keepsRequestUri: boolean | null): ProviderHealth {
    const accounts = [...this.#accounts.values()];
    return {
      reachable: this.#reachable,
      registrations: accounts.map((a) => a.outcome).sort((a, b) => b.at - a.at),
      registered: accounts.some((a) => a.registered),
      keepsRequestUri,
    };
  }

  subscribe(listener: (change: ProviderHealthChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #account(aor: string, at: number): Account {
    let account = this.#accounts.get(aor);
    if (account !== undefined) {
      this.#accounts.delete(aor); // re-inserted last: the map stays in order of the latest report
    } else {
      account = { outcome: { aor, at, status: null }, registered: false, lost: false };
      if (this.#accounts.size >= this.#maxAccounts) {
        const oldest = this.#accounts.keys().next().value;
        if (oldest !== undefined) this.#accounts.delete(oldest);
      }
    }
    this.#accounts.set(aor, account);
    return account;
  }

  #lose(account: Account, aor: string, at: number, detail: string): void {
    account.registered = false;
    account.lost = true;
    this.#emit({ kind: 'lost', aor, at, detail });
  }

  #emit(change: ProviderHealthChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#onListenerError(error); // a listener's fault must not break the relay
      }
    }
  }
}
