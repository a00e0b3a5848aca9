/**
 * The stable reason codes of policy verdicts.
 *
 * A code names why the guard dropped, refused or (for the informational codes) accepted a request. Codes
 * are stored with every event, shown in the dashboard and API, aggregated by (the first is the primary
 * reason), and matched by people's scripts and alerts. So they are a contract:
 *
 * - kebab-case ASCII, short, meaningful without context;
 * - NEVER renamed or given another meaning once shipped; a code that is no longer produced stays in
 *   this list (readers of old events still need its meaning); new codes are appended.
 *
 * The order of codes in a verdict follows the order of the checks in the inbound decision
 * (DESIGN.md §2), so the first code is the first check the request failed.
 */
export const REASON_CODES = {
  banned: 'the source address is banned: dropped before parsing',
  malformed: 'not a well-formed SIP request (framing, start line or a required header)',
  'too-large': 'larger than the maximum message size: dropped unread',
  'not-from-provider': 'arrived on the WAN leg from an address outside the provider set',
  'unknown-alias': 'the Request-URI user looks like an alias token but names no live binding',
  'no-alias': 'the Request-URI carries no alias token at all (e.g. sip:100@guard-address)',
  'unknown-dialog': 'an in-dialog request (To tag) for a dialog the guard does not know',
  flood: 'the source exceeded its rate limit (the provider is rate-limited, never banned)',
  'lan-not-allowed': 'a request on the LAN leg from an address outside lan.allow',
  'open-relay': 'the request asks to be sent on to a destination the guard never relays to',
  loop: 'the request already passed through the guard unchanged: a loop (482, RFC 3261 §16.3)',
  'too-many-hops': 'Max-Forwards reached 0 (483, RFC 3261 §16.3)',
  'scanner-fingerprint': 'label only: the request matches a known scanner family',
  'provider-rewrites-uri': 'info: accepted through the fallback for a provider that rewrites the Request-URI',
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Every reason code, in the order of the list above. */
export const ALL_REASON_CODES = Object.freeze(Object.keys(REASON_CODES) as ReasonCode[]);

export function isReasonCode(value: string): value is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASON_CODES, value);
}

/** The one-line meaning of a code, or null for a string that is not one. */
export function describeReason(code: string): string | null {
  return isReasonCode(code) ? REASON_CODES[code] : null;
}
