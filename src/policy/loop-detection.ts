/**
 * Loop detection, RFC 3261 §16.3 step 4:
 *
 *   "If the request contains a Via header field with a sent-by value that equals a value placed into
 *   previous requests by the proxy, the request has been forwarded by this element before. The request
 *   has either looped or is legitimately spiraling through the element. To determine if the request has
 *   looped, the element MAY perform the branch parameter calculation described in Step 8 of Section
 *   16.6 on this message and compare it to the parameter received in that Via header field. If the
 *   parameters match, the request has looped. If they differ, the request is spiraling".
 *
 * A spiral is normal for the guard: a phone calls another phone (or itself) behind the same guard, so
 * the INVITE leaves towards the provider and comes back with the guard's Via still in it, now addressed
 * to an alias. A loop comes back unchanged.
 *
 * So the guard's branches carry a loop key (§16.6 step 8): `<prefix><key>.<unique>`, where `prefix`
 * starts with the magic cookie and marks the guard's own Vias, and `key` is a hash of the fields that
 * a loop keeps and a spiral changes: the Request-URI, the From and To tags, the Call-ID and the CSeq
 * number, of the request as the guard received it. (The topmost Via, which §16.6 also lists, is left
 * out: it is another element's Via by the time a loop comes back.)
 */
import { createHash } from 'node:crypto';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { MAGIC_COOKIE } from '../transaction/branch.js';

/** 12 hex digits (48 bits): enough to tell one request from another passing through one guard. */
const KEY_LENGTH = 12;
const SEPARATOR = '.';

/** The loop key of a request as received (see above). */
export function loopKey(msg: SipMessage): string {
  const from = msg.from();
  const to = msg.to();
  const cseq = msg.cseq();
  const callId = msg.callId();
  const parts = [
    msg.requestUri,
    isSipError(from) ? '' : (from.params.get('tag') ?? ''),
    isSipError(to) ? '' : (to.params.get('tag') ?? ''),
    isSipError(callId) ? '' : callId,
    isSipError(cseq) ? '' : String(cseq.seq),
  ];
  return createHash('sha256').update(parts.join('\n'), 'latin1').digest('hex').slice(0, KEY_LENGTH);
}

/**
 * The branch for the Via the guard adds when it forwards `received` (RFC 3261 §16.6 step 8):
 * `prefix + loopKey(received) + "." + unique`. `prefix` must start with the magic cookie `z9hG4bK`;
 * `unique` must be unique for the transaction (e.g. random base64url).
 */
export function loopBranch(prefix: string, received: SipMessage, unique: string): string {
  if (!prefix.startsWith(MAGIC_COOKIE)) throw new TypeError(`a branch prefix must start with ${MAGIC_COOKIE}`);
  return `${prefix}${loopKey(received)}${SEPARATOR}${unique}`;
}

export type LoopState = 'none' | 'spiral' | 'loop';

/**
 * Whether the request passed through the guard before (a Via whose branch starts with `ownPrefix`), and
 * if so, whether it looped (that Via's loop key equals the request's) or is spiralling.
 */
export function detectLoop(msg: SipMessage, ownPrefix: string): LoopState {
  if (ownPrefix.length === 0) return 'none';
  const vias = msg.vias();
  if (isSipError(vias)) return 'none';
  let key: string | null = null;
  let state: LoopState = 'none';
  for (const via of vias) {
    const branch = via.branch;
    if (branch === null || !branch.startsWith(ownPrefix)) continue;
    key ??= loopKey(msg);
    const end = branch.indexOf(SEPARATOR, ownPrefix.length);
    const theirs = branch.slice(ownPrefix.length, end < 0 ? branch.length : end);
    if (theirs === key) return 'loop';
    state = 'spiral';
  }
  return state;
}
