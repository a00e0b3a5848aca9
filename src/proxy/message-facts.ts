/** Small readings of a message that the relays share, each total (a SipError reads as "absent"). */
import { isSipError, type SipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { NameAddr } from '../sip/types.js';
import { nameAddrParts } from './name-addr-parts.js';

/** The `tag` parameter of a From or To, or null. */
export function tagOf(party: NameAddr | SipError): string | null {
  return isSipError(party) ? null : (party.params.get('tag') ?? null);
}

/** The URI of the first Contact, as written, or null (none, `*`, or unreadable). */
export function firstContactUri(message: SipMessage): string | null {
  const contacts = message.contacts();
  if (isSipError(contacts) || contacts === '*' || contacts.length === 0) return null;
  return nameAddrParts(contacts[0]!.raw).uri;
}

/** Call-ID, From tag and To tag of a request, or null when the Call-ID is unreadable. */
export function dialogIds(message: SipMessage): { callId: string; fromTag: string | null; toTag: string | null } | null {
  const callId = message.callId();
  if (isSipError(callId)) return null;
  return { callId, fromTag: tagOf(message.from()), toTag: tagOf(message.to()) };
}
