/**
 * Header names: the ones the guard reads get a small numeric id, found once per header line while
 * the message is scanned (no allocation), so that every later lookup is an integer comparison.
 *
 * RFC 3261 §7.3.1: "field names are always case-insensitive"; §7.3.3 and §20 define the compact
 * forms (i m e l f t v s k c), later RFCs add o r b u x y a j d n.
 */
import { equalsLower } from './chars.js';

export enum HeaderId {
  Unknown = 0,
  CallId,
  Contact,
  ContentEncoding,
  ContentLength,
  From,
  To,
  Via,
  Subject,
  Supported,
  ContentType,
  Event,
  ReferTo,
  ReferredBy,
  AllowEvents,
  SessionExpires,
  Identity,
  AcceptContact,
  RejectContact,
  RequestDisposition,
  IdentityInfo,
  CSeq,
  MaxForwards,
  Route,
  RecordRoute,
  UserAgent,
  Expires,
  Authorization,
  ProxyAuthorization,
  WwwAuthenticate,
  ProxyAuthenticate,
  Server,
  Date,
  Require,
  ProxyRequire,
  Accept,
  Allow,
  MinExpires,
  Path,
}

/** Canonical (display) names by id; index 0 is unused. */
export const CANONICAL_NAMES: readonly string[] = [
  '',
  'Call-ID',
  'Contact',
  'Content-Encoding',
  'Content-Length',
  'From',
  'To',
  'Via',
  'Subject',
  'Supported',
  'Content-Type',
  'Event',
  'Refer-To',
  'Referred-By',
  'Allow-Events',
  'Session-Expires',
  'Identity',
  'Accept-Contact',
  'Reject-Contact',
  'Request-Disposition',
  'Identity-Info',
  'CSeq',
  'Max-Forwards',
  'Route',
  'Record-Route',
  'User-Agent',
  'Expires',
  'Authorization',
  'Proxy-Authorization',
  'WWW-Authenticate',
  'Proxy-Authenticate',
  'Server',
  'Date',
  'Require',
  'Proxy-Require',
  'Accept',
  'Allow',
  'Min-Expires',
  'Path',
];

/** Compact forms, RFC 3261 §7.3.3 and the registry of later RFCs. */
const COMPACT: Readonly<Record<string, HeaderId>> = {
  i: HeaderId.CallId,
  m: HeaderId.Contact,
  e: HeaderId.ContentEncoding,
  l: HeaderId.ContentLength,
  f: HeaderId.From,
  t: HeaderId.To,
  v: HeaderId.Via,
  s: HeaderId.Subject,
  k: HeaderId.Supported,
  c: HeaderId.ContentType,
  o: HeaderId.Event,
  r: HeaderId.ReferTo,
  b: HeaderId.ReferredBy,
  u: HeaderId.AllowEvents,
  x: HeaderId.SessionExpires,
  y: HeaderId.Identity,
  a: HeaderId.AcceptContact,
  j: HeaderId.RejectContact,
  d: HeaderId.RequestDisposition,
  n: HeaderId.IdentityInfo,
};

/** Compact letter (lower-case char code) → id. */
const COMPACT_BY_CODE: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const [letter, id] of Object.entries(COMPACT)) table[letter.charCodeAt(0)] = id;
  return table;
})();

/** Lower-cased canonical names by id, for the comparison that confirms a candidate. */
const LOWER_NAMES: readonly string[] = CANONICAL_NAMES.map((name) => name.toLowerCase());

/**
 * Candidate ids by the length (5 bits) and the first letter (5 bits) of a long name: one table read
 * finds the only name that can match (Call-ID and Contact share a key; `NEXT_CANDIDATE` chains such
 * ids), and one comparison confirms it. Any other name is Unknown after at most that comparison.
 */
const FIRST_CANDIDATE = new Uint8Array(1024);
const NEXT_CANDIDATE = new Uint8Array(CANONICAL_NAMES.length);
(() => {
  for (let id = CANONICAL_NAMES.length - 1; id > 0; id--) {
    const key = candidateKey(LOWER_NAMES[id]!, 0, LOWER_NAMES[id]!.length);
    NEXT_CANDIDATE[id] = FIRST_CANDIDATE[key]!;
    FIRST_CANDIDATE[key] = id;
  }
})();

function candidateKey(text: string, start: number, end: number): number {
  return candidateKeyOf(end - start, text.charCodeAt(start));
}

/** Id of the header name `text[start, end)`, case-insensitively, compact forms included. */
export function identifyHeader(text: string, start: number, end: number): HeaderId {
  const length = end - start;
  if (length === 1) {
    const c = text.charCodeAt(start) | 0x20;
    return c < 128 ? (COMPACT_BY_CODE[c]! as HeaderId) : HeaderId.Unknown;
  }
  if (length === 0) return HeaderId.Unknown;
  for (let id = FIRST_CANDIDATE[candidateKey(text, start, end)]!; id !== 0; id = NEXT_CANDIDATE[id]!) {
    if (equalsLower(text, start, end, LOWER_NAMES[id]!)) return id as HeaderId;
  }
  return HeaderId.Unknown;
}

/**
 * Identification during the parser's scan, without a second pass over the name: while the parser
 * checks that each character of a name is a token character, it folds it with `c | 0x20` and packs
 * the first 14 into two numbers, 7 characters of 7 bits each (`p = p * 128 + folded`, exact in a
 * double). A name of 2 to 14 characters is then identified by comparing two numbers and the length
 * with the packed lower-case name of the one candidate its length and first character point to
 * (`FIRST_CANDIDATE`, `NEXT_CANDIDATE`); longer names (rare) go through `identifyHeader`. The
 * parser does this lookup inline: a call would box the two doubles for every header line.
 *
 * The fold is exact here: the names we know hold only letters and "-", and among token characters
 * (all below 128) only "A" and "a" fold to "a", and only "-" folds to "-". So a name is identified
 * exactly when `identifyHeader` would identify it.
 */
export const PACKED_CHARS = 7;
/** Longest name identified from its packed form. */
export const PACKED_MAX_LENGTH = 2 * PACKED_CHARS;

/** `[p0, p1]` of each id's lower-case name (0, 0 for names longer than PACKED_MAX_LENGTH). */
export const PACKED_NAMES: Readonly<Float64Array> = new Float64Array(2 * CANONICAL_NAMES.length);
/** Length of each id's name. */
export const NAME_LENGTHS: Readonly<Uint8Array> = new Uint8Array(CANONICAL_NAMES.length);
(() => {
  const packed = PACKED_NAMES as Float64Array;
  for (let id = 1; id < CANONICAL_NAMES.length; id++) {
    const lower = LOWER_NAMES[id]!;
    (NAME_LENGTHS as Uint8Array)[id] = lower.length;
    if (lower.length > PACKED_MAX_LENGTH) continue;
    for (let k = 0; k < lower.length; k++) {
      const slot = 2 * id + Math.floor(k / PACKED_CHARS);
      packed[slot] = packed[slot]! * 128 + (lower.charCodeAt(k) | 0x20);
    }
  }
})();

/** The id of a one-letter (compact) name, by its character code folded with `| 0x20`. */
export const COMPACT_IDS: Readonly<Uint8Array> = COMPACT_BY_CODE;
/** The first candidate id for a long name, by `candidateKeyOf(length, first char code)`; 0 for none. */
export const FIRST_CANDIDATES: Readonly<Uint8Array> = FIRST_CANDIDATE;
/** The next candidate id with the same key as an id; 0 for none. */
export const NEXT_CANDIDATES: Readonly<Uint8Array> = NEXT_CANDIDATE;

/** The key of `FIRST_CANDIDATES` for a name of `length` characters starting with char code `first`. */
export function candidateKeyOf(length: number, first: number): number {
  return ((length & 31) << 5) | (first & 31);
}

/** Id of a header name given by code (e.g. `get('from')`, `get('f')`). */
export function headerIdOf(name: string): HeaderId {
  return identifyHeader(name, 0, name.length);
}

/** Lower-cased long name for a name given by code: `'f'` and `'FROM'` both give `'from'`. */
export function normalizeHeaderName(name: string): string {
  const id = headerIdOf(name);
  return id === HeaderId.Unknown ? name.toLowerCase() : CANONICAL_NAMES[id]!.toLowerCase();
}
