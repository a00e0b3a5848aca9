/**
 * A verdict: what the policy decided about one request. Rules return verdicts; one place in the proxy
 * carries them out (relay, drop, answer, record, ban). A verdict never acts by itself.
 *
 * - `relay`: pass the request on (reasons are empty, or informational such as `provider-rewrites-uri`);
 * - `drop`: discard silently, answer nothing (a scanner learns nothing, not even that a host is there);
 * - `reject`: answer with `status` (403/404 by `policy.unknown`, 483/482 per RFC 3261 §16.3, 400).
 *
 * `neverBan` marks a source the caller must never ban whatever the reasons say: the provider (DESIGN §2
 * "the provider is rate-limited, never banned") and phones on the LAN leg.
 */
import type { ReasonCode } from './reason-codes.js';

export type VerdictAction = 'relay' | 'drop' | 'reject';

export type RejectStatus = 400 | 403 | 404 | 482 | 483;

/** What a request from a stranger gets (`policy.unknown`): nothing at all, or a 403 / 404 response. */
export type UnknownAction = 'drop' | '403' | '404';

export interface Verdict {
  readonly action: VerdictAction;
  /** Present exactly when `action` is `reject`. */
  readonly status?: RejectStatus;
  /** Most important first; the first is the primary reason (events are aggregated by it). */
  readonly reasons: readonly ReasonCode[];
  /** Scanner family from the fingerprint classifier (label only), else null. */
  readonly family: string | null;
  /** A short technical detail for logs (never attacker text). */
  readonly note?: string;
  /** The source must never be banned by the caller (the provider, a LAN phone). */
  readonly neverBan?: true;
}

export interface VerdictExtras {
  readonly family?: string | null;
  readonly note?: string;
  readonly neverBan?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Built without object spread: a verdict is made for every refused datagram of a flood. */
function make(action: VerdictAction, reasons: readonly ReasonCode[], extras: VerdictExtras, status?: RejectStatus): Verdict {
  const verdict: Mutable<Verdict> = { action, reasons: Object.freeze(reasons.slice()), family: extras.family ?? null };
  if (status !== undefined) verdict.status = status;
  if (extras.note !== undefined) verdict.note = extras.note;
  if (extras.neverBan === true) verdict.neverBan = true;
  return verdict;
}

export function relay(reasons: readonly ReasonCode[] = [], extras: VerdictExtras = {}): Verdict {
  return make('relay', reasons, extras);
}

export function drop(reasons: readonly ReasonCode[], extras: VerdictExtras = {}): Verdict {
  return make('drop', reasons, extras);
}

export function reject(status: RejectStatus, reasons: readonly ReasonCode[], extras: VerdictExtras = {}): Verdict {
  return make('reject', reasons, extras, status);
}

/** A refusal as `policy.unknown` wants it: a silent drop, or a 403 / 404 answer. */
export function refuse(unknownAction: UnknownAction, reasons: readonly ReasonCode[], extras: VerdictExtras = {}): Verdict {
  if (unknownAction === '403') return reject(403, reasons, extras);
  if (unknownAction === '404') return reject(404, reasons, extras);
  return drop(reasons, extras);
}

/**
 * The verdict as it can be carried out for this method: an ACK is never answered (RFC 3261 §17.1.1.3,
 * §17.2.1), so a `reject` of an ACK becomes a `drop` with the same reasons.
 */
export function forMethod(verdict: Verdict, method: string): Verdict {
  if (verdict.action !== 'reject' || method !== 'ACK') return verdict;
  const { status: _status, ...rest } = verdict;
  return { ...rest, action: 'drop' };
}

/** The primary reason (the first), or null for a plain relay. */
export function primaryReason(verdict: Verdict): ReasonCode | null {
  return verdict.reasons[0] ?? null;
}
