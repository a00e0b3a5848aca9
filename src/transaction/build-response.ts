/**
 * A response made by this element from a request, RFC 3261 §8.2.6.2: "The From field of the response
 * MUST equal the From header field of the request. The Call-ID header field of the response MUST
 * equal the Call-ID header field of the request. The CSeq header field of the response MUST equal
 * the CSeq field of the request. The Via header field values in the response MUST equal the Via
 * header field values in the request and MUST maintain the same ordering." The To header is copied;
 * `toTag` adds a tag when the request's To has none.
 *
 * §8.2.6.1: "When a 100 (Trying) response is generated, any Timestamp header field present in the
 * request MUST be copied into this 100 (Trying) response."
 *
 * The transaction layer uses it for the 100 Trying of §17.2.1 (without a To tag: "the insertion of
 * tags in the To header field of the response ... is downgraded from MAY to SHOULD NOT"); a TU may
 * use it for its own responses.
 */
import { SipError, isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { composeMessage, type HeaderLine } from './compose-message.js';

export interface BuildResponseOptions {
  /** Added to the To header when the request's To has no tag. */
  readonly toTag?: string;
}

export function buildResponse(
  request: SipMessage,
  status: number,
  reason: string,
  options: BuildResponseOptions = {},
): SipMessage | SipError {
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    return new SipError('SIP_BAD_STATUS', `status ${status} is not 100..699`, 0);
  }
  const from = request.get('From');
  const callId = request.get('Call-ID');
  const cseq = request.get('CSeq');
  let to = request.get('To');
  if (from === undefined || callId === undefined || cseq === undefined || to === undefined) {
    return new SipError('SIP_MISSING_HEADER', 'the request lacks From, To, Call-ID or CSeq', 0);
  }
  if (options.toTag !== undefined) {
    const parsedTo = request.to();
    if (isSipError(parsedTo)) return parsedTo;
    if (!parsedTo.params.has('tag')) to = `${to};tag=${options.toTag}`;
  }
  const headers: HeaderLine[] = request.getAll('Via').map((via) => ['Via', via] as const);
  headers.push(['From', from], ['To', to], ['Call-ID', callId], ['CSeq', cseq]);
  const timestamp = request.get('Timestamp');
  if (status === 100 && timestamp !== undefined) headers.push(['Timestamp', timestamp]);
  return composeMessage(`SIP/2.0 ${status} ${reason}`, headers);
}
