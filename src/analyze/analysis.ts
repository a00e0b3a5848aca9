/**
 * The analyzer's output types: one row per SIP message (what `--json` prints, one per line) and the
 * summary (the last JSON line, the terminal and HTML reports).
 */
import type { Explanation } from '../policy/explain.js';

/**
 * A call's verdict, from its dialog-initial INVITE: `provider` (from the provider), `ghost` (to the
 * phone side from anywhere else: what the guard would drop), `outgoing` (from a phone to the provider),
 * `other` (everything else). Responses and in-dialog requests take their call's verdict.
 */
export type CallVerdict = 'provider' | 'ghost' | 'outgoing' | 'other';

export const CALL_VERDICTS: readonly CallVerdict[] = ['provider', 'ghost', 'outgoing', 'other'];

export interface MessageRow {
  readonly file: string;
  readonly frame: number;
  /** ISO 8601 with milliseconds. */
  readonly time: string;
  readonly src: string;
  readonly dst: string;
  readonly transport: 'udp' | 'tcp';
  /** Request method, or null for a response or an unparsable payload. */
  readonly method: string | null;
  readonly status: number | null;
  readonly callId: string | null;
  readonly verdict: CallVerdict;
  /** Scanner family (the guard's fingerprints) of the request, or of the call for the rest. */
  readonly family: string | null;
  /** The guard's reason codes for a request it would refuse or accept from the WAN; [] otherwise. */
  readonly reasons: readonly string[];
  /** What the guard would say about the request; null when the guard would not judge it (responses, phones' own requests). */
  readonly explanation: Explanation | null;
  /** Present for a SIP-looking payload that did not parse. */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface GhostSource {
  readonly source: string;
  readonly ghostCalls: number;
  /** Every request from it to the phone side (INVITE, OPTIONS, REGISTER...). */
  readonly requests: number;
  readonly rang: number;
  readonly answered: number;
  readonly families: readonly string[];
  readonly first: string;
  readonly last: string;
}

export interface GhostCallDetail {
  readonly callId: string;
  readonly time: string;
  readonly source: string;
  readonly phone: string;
  readonly family: string | null;
  readonly caller: string | null;
  readonly rang: boolean;
  readonly answered: boolean;
  readonly explanation: Explanation | null;
}

/** A scanner's REGISTER that was accepted (2xx): an account's password was guessed. */
export interface ScannerRegistration {
  readonly time: string;
  readonly source: string;
  readonly registrar: string;
  /** The account (To user), cleaned. */
  readonly user: string | null;
  readonly family: string;
}

export interface TimelineBucket {
  /** Start, ms since the epoch. */
  readonly start: number;
  readonly messages: number;
  readonly ghostCalls: number;
}

export interface AnalysisSummary {
  readonly provider: {
    readonly origin: 'option' | 'inferred' | 'none';
    readonly names: readonly string[];
    readonly domain: string;
    readonly evidence: readonly string[];
  };
  readonly phones: readonly string[];
  readonly phoneEvidence: readonly string[];
  readonly messages: number;
  readonly unparsable: number;
  readonly messagesByVerdict: Readonly<Record<CallVerdict, number>>;
  readonly callsByVerdict: Readonly<Record<CallVerdict, number>>;
  /** Calls for which the phone answered 18x (it rang), and 2xx (it was picked up), by verdict. */
  readonly rangByVerdict: Readonly<Record<CallVerdict, number>>;
  readonly answeredByVerdict: Readonly<Record<CallVerdict, number>>;
  readonly ghost: {
    readonly calls: number;
    readonly rang: number;
    readonly answered: number;
    readonly byFamily: Readonly<Record<string, number>>;
    /** Sources beyond the table's capacity are counted, not listed. */
    readonly otherSources: number;
  };
  readonly sources: readonly GhostSource[];
  /** Scanner REGISTERs answered 2xx (capped), and how many more. */
  readonly scannerRegistrations: readonly ScannerRegistration[];
  readonly scannerRegistrationsMore: number;
  /** The first ghost calls in full (capped); the rest are counted above. */
  readonly ghostCalls: readonly GhostCallDetail[];
  /** Distinct explanations of ghost calls and other refused requests, most frequent first (capped). */
  readonly explanations: ReadonlyArray<Explanation & { readonly count: number }>;
  readonly timeline: { readonly bucketMs: number; readonly buckets: readonly TimelineBucket[] };
  /** Calls whose state was forgotten to bound memory (their late responses count as `other`). */
  readonly callsForgotten: number;
  readonly first: string | null;
  readonly last: string | null;
}
