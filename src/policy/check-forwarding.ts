/**
 * The forwarding checks of RFC 3261 §16.3 ("Request Validation") that are decisions of the proxy, not
 * faults of the message (validate.ts covers those):
 *
 * Step 3, Max-Forwards: "If the request contains a Max-Forwards header field with a field value of zero
 * (0), the element MUST NOT forward the request. If the request was for OPTIONS, the element MAY act as
 * the final recipient and respond per Section 11. Otherwise, the element MUST return a 483 (Too many
 * hops) response." The guard does not act as the final recipient: an OPTIONS gets the 483 too.
 *
 * Step 4, loop detection: "If the request has looped, the element MUST return a 482 (Loop Detected)
 * response" (see loop-detection.ts for how a loop is told from a spiral).
 *
 * Only for a request that may otherwise be relayed: a stranger is dropped before, and learns nothing.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { detectLoop } from './loop-detection.js';
import { forMethod, reject, type Verdict, type VerdictExtras } from './verdict.js';

/** A 483 or 482 verdict, or null when the request may be forwarded. */
export function checkForwarding(msg: SipMessage, ownBranchPrefix: string, extras: VerdictExtras = {}): Verdict | null {
  const maxForwards = msg.maxForwards();
  if (!isSipError(maxForwards) && maxForwards === 0) {
    return forMethod(reject(483, ['too-many-hops'], { ...extras, note: 'Max-Forwards: 0' }), msg.method);
  }
  if (detectLoop(msg, ownBranchPrefix) === 'loop') {
    return forMethod(reject(482, ['loop'], { ...extras, note: 'own Via with the same loop key' }), msg.method);
  }
  return null;
}
