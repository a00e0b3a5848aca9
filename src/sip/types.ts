/**
 * The typed values that header parsers produce. Pure data, no behaviour.
 *
 * Strings are "byte strings": the parser decodes the wire bytes as latin1, so one character is one
 * byte and offsets are byte offsets. Text that may hold UTF-8 (display names, reason phrases) is kept
 * as bytes-in-a-string; `utf8Text()` in `text.ts` turns it into readable text for people.
 */

/** Parameters in wire order. Names are lower-cased; a flag parameter (`;lr`) has the value `null`. */
export type Params = ReadonlyMap<string, string | null>;

export type HostKind = 'domain' | 'ipv4' | 'ipv6';

/** RFC 3261 §19.1: `sip:` and `sips:` URIs. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** userinfo user part as written (still %-escaped); null when there is no userinfo. */
  readonly user: string | null;
  readonly password: string | null;
  /** Host without IPv6 brackets, as written (case kept). */
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number | null;
  readonly params: Params;
  /** `?name=value&...` headers, names as written, values still escaped. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly raw: string;
}

/** RFC 3966 `tel:` URI. */
export interface TelUri {
  readonly scheme: 'tel';
  readonly number: string;
  readonly params: Params;
  readonly raw: string;
}

/** Any other absoluteURI (RFC 3261 §25.1): kept, not interpreted. Validation answers 416. */
export interface OtherUri {
  readonly scheme: string;
  readonly raw: string;
}

export type Uri = SipUri | TelUri | OtherUri;

/** From, To, Contact, Route, Record-Route, Reply-To: name-addr or addr-spec plus header params. */
export interface NameAddr {
  /** Display name without quotes and with quoted-pair escapes resolved; null when absent. */
  readonly displayName: string | null;
  readonly uri: Uri;
  /** Header parameters (after the URI), e.g. tag, expires, q, lr (for Route the URI holds lr). */
  readonly params: Params;
  readonly raw: string;
}

/** RFC 3261 §20.42: one via-parm. */
export interface Via {
  /** e.g. "SIP/2.0" (upper-cased). */
  readonly protocol: string;
  /** e.g. "UDP", "TCP", "TLS", "WS" (upper-cased). */
  readonly transport: string;
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number | null;
  readonly branch: string | null;
  readonly received: string | null;
  /** `rport` alone is `true`; `rport=5060` is the number; absent is null. */
  readonly rport: number | true | null;
  readonly maddr: string | null;
  readonly ttl: number | null;
  readonly params: Params;
  readonly raw: string;
}

/** RFC 3261 §20.16. */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** A Contact header value: `*` or a list of name-addrs (expires / q are in params). */
export type ContactList = '*' | readonly NameAddr[];

/** RFC 3261 §22.4 / RFC 2617: a Digest challenge or credentials. */
export interface DigestParams {
  readonly scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  readonly params: Params;
}
