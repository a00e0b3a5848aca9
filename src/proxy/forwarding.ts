/**
 * The steps of RFC 3261 §16.6 that every forwarded request goes through.
 *
 * Branch (§16.6 step 8): the guard's own branch prefix (magic cookie + a random mark per guard), the
 * loop key of the received request, and 96 random bits (`policy/loop-detection.ts`), so that the gate
 * can tell a loop (482, §16.3 step 4) from a spiral (a phone calling a phone behind the same guard
 * through the provider).
 */
import { randomBytes } from 'node:crypto';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import { loopBranch } from '../policy/loop-detection.js';
import { MAGIC_COOKIE } from '../transaction/branch.js';
import { formatVia } from '../transaction/via-spec.js';
import type { HostAndPort, LegTransport } from './guard-addresses.js';

/** Max-Forwards of a request that had none (§16.6 step 3: "the proxy MUST add one with a value of 70"). */
export const DEFAULT_MAX_FORWARDS = 70;

/** A branch prefix for one guard: the magic cookie and 32 random bits, so it knows its own Vias. */
export function newBranchPrefix(): string {
  return `${MAGIC_COOKIE}${randomBytes(5).toString('hex').slice(0, 8)}-`;
}

/** A branch for forwarding `received` (§16.6 step 8). */
export function forwardBranch(prefix: string, received: SipMessage): string {
  return loopBranch(prefix, received, randomBytes(12).toString('base64url'));
}

/**
 * §16.6 step 3: "If the copy contains a Max-Forwards header field, the proxy MUST decrement its
 * value by one (1)." Returns false when it is already 0 (§16.3 step 3: answer 483).
 */
export function decrementMaxForwards(copy: SipMessage, received: SipMessage): boolean {
  const value = received.maxForwards();
  if (isSipError(value)) {
    copy.setHeader('Max-Forwards', String(DEFAULT_MAX_FORWARDS));
    return true;
  }
  if (value === 0) return false;
  copy.setHeader('Max-Forwards', String(value === null ? DEFAULT_MAX_FORWARDS : value - 1));
  return true;
}

/** §16.6 step 8: "the proxy MUST insert a Via header field value into the copy before the existing Via header field values". */
export function pushVia(copy: SipMessage, sentBy: HostAndPort, transport: LegTransport, branch: string): void {
  copy.prependHeader('Via', formatVia({ transport, host: sentBy.host, port: sentBy.port }, branch));
}

/**
 * The Vias of a response to send upstream (§16.7 step 3, "The proxy removes the topmost Via header
 * field value from the response"): the Vias of the request as it arrived. For a request whose
 * lower Vias the guard hid on the WAN leg (topology hiding), this restores them from the server
 * transaction; for any other it is the same as removing our own.
 */
export function restoreVias(response: SipMessage, original: SipMessage): void {
  response.removeHeader('Via');
  const lines = original.getAll('Via');
  for (let i = lines.length - 1; i >= 0; i--) response.prependHeader('Via', lines[i]!);
}

/**
 * The changed copy as a fresh message, ready to hand to the transaction layer. A SipMessage keeps
 * the values it parsed before a change (see the report on `message.ts`), so a copy is re-read from
 * its own bytes once all changes are made: the transaction layer, the CANCEL and ACK builders then
 * see the Via, CSeq and Route that are really sent. Null if the copy does not parse (a bug, never
 * attacker input: every value written was read from a parsed message or built here).
 */
export function finalize(copy: SipMessage): SipMessage | null {
  const fresh = parseMessage(copy.serialize());
  return isSipError(fresh) ? null : fresh;
}
