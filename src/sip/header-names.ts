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

/** Long names grouped by length: a scan compares only names of the right length. */
const BY_LENGTH: ReadonlyArray<ReadonlyArray<readonly [string, HeaderId]> | undefined> = (() => {
  const groups: Array<Array<[string, HeaderId]>> = [];
  CANONICAL_NAMES.forEach((name, id) => {
    if (id === 0) return;
    const lower = name.toLowerCase();
    (groups[lower.length] ??= []).push([lower, id]);
  });
  return groups;
})();

/** Id of the header name `text[start, end)`, case-insensitively, compact forms included. */
export function identifyHeader(text: string, start: number, end: number): HeaderId {
  const length = end - start;
  if (length === 1) {
    const c = text.charCodeAt(start) | 0x20;
    return c < 128 ? (COMPACT_BY_CODE[c]! as HeaderId) : HeaderId.Unknown;
  }
  const group = BY_LENGTH[length];
  if (group === undefined) return HeaderId.Unknown;
  for (const [lower, id] of group) {
    if (equalsLower(text, start, end, lower)) return id;
  }
  return HeaderId.Unknown;
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
