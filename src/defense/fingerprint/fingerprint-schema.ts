/**
 * The format of scanner fingerprints (`fingerprints.ts` is the data; `validate-fingerprints.ts` checks a
 * set, e.g. one read from a JSON file, before `compileFingerprints` turns it into a classifier).
 *
 * A set has two parts:
 *
 * - `signals`: a catalogue of observations about one request, each a `field` of the message, a `test`
 *   and a `value`, e.g. `{ field: 'from-host', test: 'equals', value: '1.1.1.1' }`. A signal's id is
 *   what the classifier reports (`signals: ['ua:friendly-scanner', 'from-host:1.1.1.1']`).
 * - `families`: one entry per scanner family and variant, each naming the signals that speak for it,
 *   with a weight. Several entries may share a family (`sipvicious` has svmap, svwar, svcrack, ...).
 *
 * Scoring (see `score.ts`): within one entry, the matched positive weights combine as independent
 * evidence ("noisy-OR"): confidence = 1 − Π(1 − w). A weight is how sure one would be of the family from
 * that signal alone: 0.95 for a tool's own User-Agent, 0.3 for a shape many tools share. Negative weights
 * are counter-evidence (what real phones and providers do) and scale the result down by (1 − |w|). The
 * entry with the highest confidence names the family; below `threshold` the request is not labelled.
 *
 * All text comparisons ignore ASCII case. Field values come from the parsed message, are trimmed and are
 * cut to `MAX_FIELD_LENGTH` characters, so no test ever looks at more than that.
 */

/** Bump when a change to the format (not to the data) would make an older reader misread a set. */
export const FINGERPRINT_FORMAT = 1;

/** Longest field value a test sees (longer values are cut): bounded work per request. */
export const MAX_FIELD_LENGTH = 256;

/** Values taken from the request (null when the header or part is absent or unreadable). */
export const TEXT_FIELDS = [
  'method',
  /** Request-URI user (unescaped) or tel number. */
  'request-user',
  'request-host',
  'user-agent',
  'from-display',
  'from-user',
  'from-host',
  'from-tag',
  'to-display',
  'to-user',
  'to-host',
  /** The first Contact value as written (e.g. `sip:100@1.1.1.1` without angle brackets, or `None`). */
  'contact',
  'call-id',
  /** The top Via as written, and its parts. */
  'via',
  'via-host',
  'via-branch',
  'cseq-number',
  'max-forwards',
  /** SDP session name (`s=`) and origin (`o=`) lines, read from the first bytes of an SDP body. */
  'sdp-session',
  'sdp-origin',
] as const;

/** Facts computed from several parts of the request: the value is 'true' or null. */
export const FLAG_FIELDS = [
  /** From and To carry the same URI (user and host): svmap, svwar and many scripts copy one into the other. */
  'to-equals-from',
  /** At least three multi-letter header names written all in lower case (`via:`, `from:`, `cseq:`). */
  'lower-case-names',
  /** The User-Agent is the From user (Metasploit puts one random word in both). */
  'user-agent-is-from-user',
  /** The request came through at least one proxy: two or more Via values. */
  'several-vias',
  /** Authorization or Proxy-Authorization is present. */
  'has-credentials',
  /** The Contact carries `+sip.instance` or `reg-id` (RFC 5626): real phones do, scanners almost never. */
  'contact-instance',
  /** The From host is an IP address literal. */
  'from-host-is-ip',
  /** The Request-URI host is an IP address literal. */
  'request-host-is-ip',
] as const;

export type TextField = (typeof TEXT_FIELDS)[number];
export type FlagField = (typeof FLAG_FIELDS)[number];
/** `header:<name>` is the first value of any header (e.g. `header:accept`, `header:subject`). */
export type HeaderField = `header:${string}`;
/** `header-order` is the list of header names as written (lower-cased, compact forms kept). */
export type Field = TextField | FlagField | HeaderField | 'header-order';

/** What is left after a `prefix` for tests that constrain it. */
export type Rest = 'digits' | 'hex' | 'alnum';

export type SignalTest =
  /** The field is one of `value` (a string or a list). */
  | { readonly test: 'equals'; readonly value: string | readonly string[] }
  /** The field starts with `value` (or one of them); `rest` constrains the remainder (non-empty). */
  | { readonly test: 'prefix'; readonly value: string | readonly string[]; readonly rest?: Rest }
  | { readonly test: 'suffix'; readonly value: string | readonly string[] }
  | { readonly test: 'contains'; readonly value: string | readonly string[] }
  /** The header or part is missing. */
  | { readonly test: 'absent' }
  /** For flag fields: the fact holds. */
  | { readonly test: 'true' }
  /** Only decimal digits, `min`..`max` of them (a decimal Call-ID, a 3-digit extension). */
  | { readonly test: 'digits'; readonly min?: number; readonly max?: number }
  /** Only hex digits, `min`..`max` of them. */
  | { readonly test: 'hex'; readonly min?: number; readonly max?: number }
  /** Only ASCII letters and digits, `min`..`max` of them. */
  | { readonly test: 'alnum'; readonly min?: number; readonly max?: number }
  /** Hex that decodes to printable text with a 0x01 byte in it: SIPVicious's `createTag()`. */
  | { readonly test: 'hex-text' }
  /** An international dial string (`00…`, `011…`, `010…`, `0011…`, optionally behind a `9` for an outside line). */
  | { readonly test: 'international' }
  /** A number whose country code (after `+` or an international prefix) is in `value`. */
  | { readonly test: 'country-code'; readonly value: readonly string[] }
  /** For `header-order`: the names, in this order, are the first headers of the request. */
  | { readonly test: 'order'; readonly value: readonly string[] };

export type TestName = SignalTest['test'];

export type SignalSpec = SignalTest & {
  /** Short, stable id reported with a label, e.g. `ua:friendly-scanner`. */
  readonly id: string;
  readonly field: Field;
  /** Only for these methods (upper case); every method when absent. */
  readonly methods?: readonly string[];
  /** What the signal means and where the fact comes from. */
  readonly note: string;
};

/** One signal of a family entry with its weight: 0 < w ≤ 1 evidence for, −1 < w < 0 evidence against. */
export interface WeightedSignal {
  readonly signal: string;
  readonly weight: number;
}

export interface FamilyEntry {
  /** Family id: lower-case, kebab-case; the policy shows it by name (src/policy/scanner-name.ts). */
  readonly family: string;
  /** Which tool, mode or derivative of the family this entry describes (kebab-case). */
  readonly variant: string;
  readonly description: string;
  /** Where the facts come from (tool source, a capture, a public report). */
  readonly source: string;
  /** Signals that must all match for the entry to count at all (what tells this variant from its siblings). */
  readonly requires?: readonly string[];
  readonly signals: readonly WeightedSignal[];
}

export interface FingerprintSet {
  /** Format of the set (FINGERPRINT_FORMAT). */
  readonly format: number;
  /** Version of the data: bump on every change, so labels in stored events can be traced to it. */
  readonly version: string;
  /** A request is labelled when its best entry reaches this confidence. */
  readonly threshold: number;
  readonly signals: readonly SignalSpec[];
  readonly families: readonly FamilyEntry[];
}
