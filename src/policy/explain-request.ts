/**
 * The explanation of a verdict about a request, with the facts read from the message: what the proxy
 * calls when it records an event. A message that was never read (banned, too large, unparsable) is
 * explained from the verdict and the source alone.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { unescapePercent } from '../sip/text.js';
import type { NameAddr } from '../sip/types.js';
import { isSipUri, isTelUri, requestUser } from './alias-token.js';
import { explain, type ExplainMode, type Explanation } from './explain.js';
import type { Verdict } from './verdict.js';

export interface ExplainRequestInput {
  readonly verdict: Verdict;
  /** The request, or null when it was not read. */
  readonly msg: SipMessage | null;
  readonly source: string;
  readonly providerDomain: string;
  readonly leg: 'wan' | 'lan';
  /** `would` for a request the guard never saw (capture analysis, classify); default `live`. */
  readonly mode?: ExplainMode;
}

export function explainRequest(input: ExplainRequestInput): Explanation {
  const { verdict, msg } = input;
  const from = msg === null ? null : msg.from();
  const party = from === null || isSipError(from) ? null : from;
  return explain({
    reasons: verdict.reasons,
    family: verdict.family,
    method: msg === null ? null : msg.method,
    fromDisplay: party?.displayName ?? null,
    fromUser: party === null ? null : userOf(party),
    source: input.source,
    providerDomain: input.providerDomain,
    requestUser: msg === null ? null : requestUser(msg.uri()),
    userAgent: msg?.userAgent() ?? null,
    action: verdict.action,
    status: verdict.status ?? null,
    leg: input.leg,
    mode: input.mode ?? 'live',
  });
}

function userOf(party: NameAddr): string | null {
  const uri = party.uri;
  if (isSipUri(uri)) return uri.user === null ? null : unescapePercent(uri.user);
  if (isTelUri(uri)) return uri.number;
  return null;
}
