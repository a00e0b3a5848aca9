/**
 * Alias Contacts (DESIGN §2): on the WAN leg a phone is known only as
 * `<sip:TOKEN@PUBLIC:WANPORT;transport=udp>`, with the phone's own header parameters (expires, q,
 * +sip.instance, reg-id, ...) kept as written and its own address dropped. Towards the phone, its own
 * Contact URI comes back with the parameters the provider answered with.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { Uri } from '../sip/types.js';
import { canonicalAliasToken } from './alias-token.js';
import type { HostAndPort, LegTransport } from './guard-addresses.js';
import { nameAddrParts } from './name-addr-parts.js';

/** `host` with brackets when it is an IPv6 address. */
export function uriHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function aliasUri(token: string, at: HostAndPort, transport: LegTransport): string {
  return `sip:${token}@${uriHost(at.host)}:${at.port};transport=${transport}`;
}

/** The alias Contact value, with `params` (header parameters as written, from ';') appended. */
export function aliasContact(token: string, at: HostAndPort, transport: LegTransport, params = ''): string {
  return `<${aliasUri(token, at, transport)}>${params}`;
}

/** The alias token a URI names in its user part, canonical, or null. */
export function tokenOfUri(uri: Uri): string | null {
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return null;
  return canonicalAliasToken((uri as { user: string | null }).user);
}

/** The phone's Contact URI (no brackets, no header parameters) from the Contact it registered. */
export function phoneContactUri(phoneContact: string): string {
  return nameAddrParts(phoneContact).uri;
}

/**
 * Replaces every Contact of a message bound for the WAN leg by the alias (keeping each one's header
 * parameters). Returns false when the message has no Contact (nothing to hide). A `*` Contact
 * (REGISTER only) is left as it is: it names no address.
 */
export function aliasContacts(message: SipMessage, token: string, at: HostAndPort, transport: LegTransport): boolean {
  const lines = message.values('Contact');
  if (lines.length === 0) return false;
  if (lines.length === 1 && lines[0]!.trim() === '*') return true;
  const contacts = message.contacts();
  const params = isSipError(contacts) || contacts === '*' ? [] : contacts.map((c) => nameAddrParts(c.raw).params);
  message.removeHeader('Contact');
  if (params.length === 0) params.push('');
  for (const p of params) message.addHeader('Contact', aliasContact(token, at, transport, p));
  return true;
}
