/**
 * The provider's health as the guard sees it, for the dashboard/API (issue 4) and the alerts: is the
 * provider answering, did the phones' registrations go through, does it keep the alias token in the
 * Request-URI. The guard implements it (`guard.providerHealth()`, `guard.onProviderHealth()`).
 */
export interface RegisterOutcome {
  /** The account (address of record) that registered. */
  readonly aor: string;
  readonly at: number;
  /** Final status of the provider's answer, or null when it never answered (timeout, unreachable). */
  readonly status: number | null;
}

export interface ProviderHealth {
  /** Whether the provider answered anything recently; null before the first attempt. */
  readonly reachable: boolean | null;
  /** The latest REGISTER outcome per account, newest first. */
  readonly registrations: readonly RegisterOutcome[];
  /** Whether at least one account holds a live registration at the provider. */
  readonly registered: boolean;
  /** true: the provider calls the alias Contact as registered; false: it rewrites it (fallback in use); null: no call seen yet. */
  readonly keepsRequestUri: boolean | null;
}

/** `lost`: an account that was registered is no longer (refresh refused, unanswered, or expired); `restored`: registered again. */
export interface ProviderHealthChange {
  readonly kind: 'lost' | 'restored';
  readonly aor: string;
  readonly at: number;
  /** Plain words, e.g. "the provider answered 403 Forbidden to the refresh" or "no answer for 32 s". */
  readonly detail: string;
}
