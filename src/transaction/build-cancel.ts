/**
 * A CANCEL for a pending request, RFC 3261 §9.1:
 *
 * "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in the CANCEL
 * request MUST be identical to those in the request being cancelled, including tags. A CANCEL
 * constructed by a client MUST have only a single Via header field value matching the top Via value
 * in the request being cancelled. ... The CSeq method is CANCEL."
 *
 * "If the request being cancelled contains a Route header field, the CANCEL request MUST include
 * that Route header field's values."
 *
 * Max-Forwards is 70 (§8.1.1.6) and the body empty. The same top Via means the same branch: the
 * CANCEL is matched to the INVITE by it (§9.2), yet is its own transaction (its CSeq method differs).
 */
import { SipError, isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { composeMessage, type HeaderLine } from './compose-message.js';

export function buildCancel(request: SipMessage): SipMessage | SipError {
  const via = request.topVia();
  if (isSipError(via)) return via;
  const cseq = request.cseq();
  if (isSipError(cseq)) return cseq;
  const from = request.get('From');
  const to = request.get('To');
  const callId = request.get('Call-ID');
  if (from === undefined || callId === undefined || to === undefined) {
    return new SipError('SIP_MISSING_HEADER', 'the request lacks From, To or Call-ID', 0);
  }
  const headers: HeaderLine[] = [['Via', via.raw]];
  for (const route of request.getAll('Route')) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['From', from],
    ['To', to],
    ['Call-ID', callId],
    ['CSeq', `${cseq.seq} CANCEL`],
  );
  return composeMessage(`CANCEL ${request.requestUri} SIP/2.0`, headers);
}
