/**
 * The ACK for a non-2xx final response, built by the INVITE client transaction, RFC 3261 §17.1.1.3:
 *
 * "The ACK request constructed by the client transaction MUST contain values for the Call-ID, From,
 * and Request-URI that are equal to the values of those header fields in the request passed to the
 * transport by the client transaction (call this the "original request"). The To header field in the
 * ACK MUST equal the To header field in the response being acknowledged ... The ACK MUST contain a
 * single Via header field, and this MUST be equal to the top Via header field of the original
 * request. The CSeq header field in the ACK MUST contain the same value for the sequence number as
 * was present in the original request, but the method parameter MUST be equal to "ACK"."
 *
 * "If the INVITE request whose response is being acknowledged had Route header fields, those header
 * fields MUST appear in the ACK."
 *
 * Max-Forwards is 70 (§8.1.1.6) and the body empty.
 */
import { SipError, isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { composeMessage, type HeaderLine } from './compose-message.js';

export function buildAck(invite: SipMessage, response: SipMessage): SipMessage | SipError {
  const via = invite.topVia();
  if (isSipError(via)) return via;
  const cseq = invite.cseq();
  if (isSipError(cseq)) return cseq;
  const from = invite.get('From');
  const callId = invite.get('Call-ID');
  const to = response.get('To');
  if (from === undefined || callId === undefined || to === undefined) {
    return new SipError('SIP_MISSING_HEADER', 'the INVITE or its response lacks From, To or Call-ID', 0);
  }
  const headers: HeaderLine[] = [['Via', via.raw]];
  for (const route of invite.getAll('Route')) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['From', from],
    ['To', to],
    ['Call-ID', callId],
    ['CSeq', `${cseq.seq} ACK`],
  );
  return composeMessage(`ACK ${invite.requestUri} SIP/2.0`, headers);
}
