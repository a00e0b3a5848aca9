/**
 * Matching requests to server transactions, RFC 3261 §17.2.3.
 *
 * RFC 3261 peers (magic cookie in the branch): "1. the branch parameter in the request is equal to
 * the one in the top Via header field of the request that created the transaction, and 2. the
 * sent-by value in the top Via of the request is equal to the one in the request that created the
 * transaction, and 3. the method of the request matches the one that created the transaction, except
 * for ACK, where the method of the request that created the transaction is INVITE."
 *
 * The key adds the Call-ID and the CSeq number. A retransmission, the ACK for a non-2xx (§17.1.1.3)
 * and a CANCEL (§9.1) all repeat both, so conforming peers match exactly as the RFC says; but a
 * broken or hostile peer that reuses one branch for different requests (scanners often send a fixed
 * branch) gets separate transactions instead of having new requests swallowed as "retransmissions".
 *
 * RFC 2543 peers (no magic cookie): "The INVITE request matches a transaction if the Request-URI, To
 * tag, From tag, Call-ID, CSeq, and top Via header field match those of the INVITE request which
 * created the transaction. ... The ACK request matches a transaction if the Request-URI, From tag,
 * Call-ID, CSeq number (not the method), and top Via header field match those of the INVITE request
 * which created the transaction, and the To tag of the ACK matches the To tag of the response sent by
 * the server transaction. ... For all other request methods, a request is matched to a transaction if
 * the Request-URI, To tag, From tag, Call-ID, CSeq (including the method), and top Via header field
 * match those of the request that created the transaction."
 *
 * Fields compare as written (a retransmission repeats them byte for byte); Via host and branch
 * compare case-insensitively (tokens, §7.3.1), Call-ID byte by byte (§20.8). Each field is
 * length-prefixed in the key, so no field value can forge another's boundary. A key is no longer
 * than the request it comes from, and the table holding keys is bounded.
 */
import { isSipError, type SipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { isRfc3261Branch } from './branch.js';

export interface MatchFields {
  /** true: the branch has the magic cookie and matching is by branch. */
  readonly rfc3261: boolean;
  readonly method: string;
  readonly callId: string;
  readonly cseq: number;
  /** RFC 3261: lower-cased branch; RFC 2543: ''. */
  readonly branch: string;
  /** RFC 3261: lower-cased host and port of the top Via. */
  readonly sentBy: string;
  /** RFC 2543 only (else ''): Request-URI, tags and the top Via as written. */
  readonly requestUri: string;
  readonly toTag: string;
  readonly fromTag: string;
  readonly topVia: string;
}

/** Reads what matching needs; an unreadable top Via, CSeq, Call-ID, From or To is an error. */
export function readMatchFields(request: SipMessage): MatchFields | SipError {
  const via = request.topVia();
  if (isSipError(via)) return via;
  const cseq = request.cseq();
  if (isSipError(cseq)) return cseq;
  const callId = request.callId();
  if (isSipError(callId)) return callId;
  if (isRfc3261Branch(via.branch)) {
    return {
      rfc3261: true,
      method: request.method,
      callId,
      cseq: cseq.seq,
      branch: via.branch.toLowerCase(),
      sentBy: `${via.host.toLowerCase()}:${via.port ?? ''}`,
      requestUri: '',
      toTag: '',
      fromTag: '',
      topVia: '',
    };
  }
  const to = request.to();
  if (isSipError(to)) return to;
  const from = request.from();
  if (isSipError(from)) return from;
  return {
    rfc3261: false,
    method: request.method,
    callId,
    cseq: cseq.seq,
    branch: '',
    sentBy: '',
    requestUri: request.requestUri,
    toTag: to.params.get('tag') ?? '',
    fromTag: from.params.get('tag') ?? '',
    topVia: via.raw,
  };
}

/**
 * The table key of the transaction that `fields` belong to, as if its method were `method` (INVITE
 * for an ACK or for the target of a CANCEL) and, for RFC 2543 peers, its To tag were `toTag`.
 */
export function serverKey(fields: MatchFields, method: string, toTag: string = fields.toTag): string {
  if (fields.rfc3261) {
    return 'b' + field(fields.branch) + field(fields.sentBy) + field(method) + field(fields.callId) + fields.cseq;
  }
  return (
    'c' +
    field(fields.requestUri) +
    field(toTag) +
    field(fields.fromTag) +
    field(fields.callId) +
    field(method) +
    field(fields.topVia) +
    fields.cseq
  );
}

/** The From tag of a request, '' when absent or unreadable. */
export function fromTagOf(request: SipMessage): string {
  const from = request.from();
  return isSipError(from) ? '' : (from.params.get('tag') ?? '');
}

/** The To tag of a message, '' when absent or unreadable. */
export function toTagOf(message: SipMessage): string {
  const to = message.to();
  return isSipError(to) ? '' : (to.params.get('tag') ?? '');
}

function field(value: string): string {
  return `${value.length}:${value}`;
}
