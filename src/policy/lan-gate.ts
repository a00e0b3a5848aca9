/**
 * The LAN-side check: what happens to a request from a phone (DESIGN.md §2, issue 3 item 5).
 *
 * 1. The source must be in `lan.allow`; anything else on the LAN leg is ignored: dropped, `lan-not-allowed`
 *    (not marked `neverBan`: an address outside lan.allow is no phone of ours).
 * 2. A request that does not validate gets a 400 (`malformed`): phones are ours, they deserve an answer.
 * 3. A phone's request goes only to the provider, never to another LAN or WAN destination the phone
 *    names: the next hop it asks for (the first Route entry that is not the guard, else the Request-URI)
 *    must be the provider (its domain or one of its addresses), the guard itself, or a tel: number
 *    (which only the provider can route); a request in a dialog the guard knows follows that dialog.
 *    Anything else is refused with 403, `open-relay` (no toll fraud through the guard).
 * 4. RFC 3261 §16.3 forwarding checks: 483, 482.
 *
 * Every verdict about an allowed source carries `neverBan`: phones are never banned.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { Uri } from '../sip/types.js';
import { validate } from '../sip/validate.js';
import type { Flow } from '../transport/flow.js';
import { isTelUri } from './alias-token.js';
import { checkForwarding } from './check-forwarding.js';
import { drop, forMethod, reject, relay, type Verdict } from './verdict.js';

export interface LanContext {
  /** Source address ∈ lan.allow. */
  isAllowed(address: string): boolean;
  /** Whether a URI names the provider: its domain, or an address of the provider set. */
  isProviderDestination(uri: Uri): boolean;
  /** Whether a URI names the guard itself (its LAN address as outbound proxy, its Record-Route entries). */
  isOwnUri(uri: Uri): boolean;
  /** As in GateContext: `localTag` is the tag of the side behind the guard (here the From tag). */
  knownDialog(callId: string, localTag: string | null, remoteTag: string | null): boolean;
  /** Prefix of the branch of every Via the guard adds: loop detection. */
  readonly ownBranchPrefix: string;
}

export interface LanInput {
  readonly msg: SipMessage;
  readonly flow: Flow;
}

export function decideLanRequest(input: LanInput, ctx: LanContext): Verdict {
  const { msg, flow } = input;
  if (!ctx.isAllowed(flow.remote.address)) return drop(['lan-not-allowed']);
  const neverBan = true;

  if (!msg.isRequest) return drop(['malformed'], { note: 'a response where a request was expected', neverBan });
  const routes = msg.routes();
  const fault = validate(msg) ?? (isSipError(routes) ? routes : null);
  if (fault !== null || isSipError(routes)) {
    return forMethod(reject(400, ['malformed'], { note: fault?.code ?? 'SIP_BAD_NAME_ADDR', neverBan }), msg.method);
  }

  if (!inKnownDialog(msg, ctx)) {
    const nextRoute = routes.find((route) => !ctx.isOwnUri(route.uri));
    const next = nextRoute?.uri ?? msg.uri();
    const allowed = !isSipError(next) && (isTelUri(next) || ctx.isProviderDestination(next) || ctx.isOwnUri(next));
    if (!allowed) {
      return forMethod(reject(403, ['open-relay'], { note: nextRoute ? 'Route names a foreign host' : 'Request-URI names a foreign host', neverBan }), msg.method);
    }
  }

  return checkForwarding(msg, ctx.ownBranchPrefix, { neverBan }) ?? relay([], { neverBan });
}

function inKnownDialog(msg: SipMessage, ctx: LanContext): boolean {
  const to = msg.to();
  const toTag = isSipError(to) ? null : (to.params.get('tag') ?? null);
  if (toTag === null) return false;
  const from = msg.from();
  const callId = msg.callId();
  const fromTag = isSipError(from) ? null : (from.params.get('tag') ?? null);
  return !isSipError(callId) && ctx.knownDialog(callId, fromTag, toTag);
}
