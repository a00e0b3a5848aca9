/**
 * What an explanation says, gathered once from an event and made safe: every string that came from the
 * packet is passed through `peopleText`, so the language templates (explain-en.ts, explain-ja.ts) only
 * arrange clean pieces.
 */
import { isReasonCode, type ReasonCode } from './reason-codes.js';
import { peopleText } from './people-text.js';
import { SELF_TEST_FAMILY, scannerName, scannerNameJa } from './scanner-name.js';
import type { VerdictAction } from './verdict.js';

export interface ExplainInput {
  /** The verdict's reason codes, primary first (strings, so that stored events can be explained again). */
  readonly reasons: readonly string[];
  readonly family: string | null;
  /** The request method, or null when the message was not read (banned, too large, unparsable). */
  readonly method: string | null;
  /** From display name and user, as byte strings from the parser. */
  readonly fromDisplay: string | null;
  readonly fromUser: string | null;
  /** The source address (from the flow). */
  readonly source: string;
  /** provider.domain */
  readonly providerDomain: string;
  /** The Request-URI user (or tel number), as a byte string. */
  readonly requestUser: string | null;
  readonly userAgent?: string | null;
  /** What was done; default: `relay` without reasons or for an informational primary reason, else `drop`. */
  readonly action?: VerdictAction;
  readonly status?: number | null;
  /** The leg it arrived on; default `wan`. */
  readonly leg?: 'wan' | 'lan';
  /** Whether the guard did it (`live`, the default) or only would have (a capture analysis, `classify`). */
  readonly mode?: ExplainMode;
}

/**
 * The tense of an explanation: `live` tells what the guard did ("Blocked a call … Your phone did not
 * ring."); `would` tells what it would have done with a message it never saw, e.g. in a capture taken
 * without it ("ghostguard would have blocked a call … Your phone would not have rung.").
 */
export type ExplainMode = 'live' | 'would';

export type RequestKind = 'call' | 'options' | 'register' | 'message' | 'other' | 'unread';

/** Where it came from, as far as the reasons tell. */
export type Origin = 'stranger' | 'provider' | 'phone-side' | 'unknown';

export interface Facts {
  readonly primary: ReasonCode | null;
  readonly kind: RequestKind;
  /** Upper-case method, cleaned ('' when unread). */
  readonly method: string;
  readonly display: string;
  readonly user: string;
  readonly source: string;
  readonly provider: string;
  readonly requestUser: string;
  readonly scanner: string | null;
  /** The scanner's name in Japanese sentences (the same as `scanner` for tool names). */
  readonly scannerJa: string | null;
  /** The label is ghostguard's own self-test (the probe), not a scanner. */
  readonly selfTest: boolean;
  readonly userAgent: string;
  readonly action: VerdictAction;
  readonly status: number | null;
  readonly leg: 'wan' | 'lan';
  readonly origin: Origin;
  readonly mode: ExplainMode;
}

/** The primary reasons that only a request from the provider can have on the WAN leg (the gate checks the source first). */
const PROVIDER_ONLY: ReadonlySet<string> = new Set(['unknown-alias', 'no-alias', 'unknown-dialog', 'flood', 'open-relay', 'loop', 'too-many-hops', 'provider-rewrites-uri']);

export function toFacts(input: ExplainInput): Facts {
  const first = input.reasons[0];
  const primary = first !== undefined && isReasonCode(first) ? first : null;
  const method = peopleText(input.method, 20).toUpperCase();
  const leg = input.leg === 'lan' ? 'lan' : 'wan';
  const family = input.family === null || input.family.length === 0 ? null : input.family;
  return {
    primary,
    kind: kindOf(input.method === null ? '' : method),
    method,
    display: peopleText(input.fromDisplay),
    user: peopleText(input.fromUser),
    source: peopleText(input.source, 64),
    provider: peopleText(input.providerDomain, 80),
    requestUser: peopleText(input.requestUser),
    scanner: family === null ? null : scannerName(family),
    scannerJa: family === null ? null : scannerNameJa(family),
    selfTest: family !== null && family.toLowerCase() === SELF_TEST_FAMILY,
    userAgent: peopleText(input.userAgent),
    action: input.action ?? (primary === 'provider-rewrites-uri' || input.reasons.length === 0 ? 'relay' : 'drop'),
    status: input.status ?? null,
    leg,
    origin: originOf(input.reasons, leg),
    mode: input.mode === 'would' ? 'would' : 'live',
  };
}

function kindOf(method: string): RequestKind {
  switch (method) {
    case '':
      return 'unread';
    case 'INVITE':
      return 'call';
    case 'OPTIONS':
      return 'options';
    case 'REGISTER':
      return 'register';
    case 'MESSAGE':
      return 'message';
    default:
      return 'other';
  }
}

function originOf(reasons: readonly string[], leg: 'wan' | 'lan'): Origin {
  if (leg === 'lan') return 'phone-side';
  if (reasons.includes('not-from-provider')) return 'stranger';
  const first = reasons[0];
  return first !== undefined && PROVIDER_ONLY.has(first) ? 'provider' : 'unknown';
}

const PHRASES: Readonly<Record<number, string>> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 482: 'Loop Detected', 483: 'Too Many Hops' };

/** `403 Forbidden`: the status line people see in traces. */
export function statusText(status: number): string {
  const phrase = PHRASES[status];
  return phrase === undefined ? String(status) : `${status} ${phrase}`;
}

