/**
 * Record-Route and Route handling for a proxy between two legs.
 *
 * The guard is reached at one address by the provider (public address and WAN port) and at another
 * by the phones (LAN address and port), so one Record-Route URI cannot serve both sides (RFC 5658).
 * RFC 5658 recommends double Record-Route (one value per interface); the guard uses the other
 * solution, Record-Route rewriting, RFC 3261 §16.7 step 9: "If the selected response contains a
 * Record-Route header field value originally provided by this proxy, the proxy MAY choose to
 * rewrite the value before forwarding the response. This allows the proxy to provide different URIs
 * for itself to the next upstream and downstream elements." Why: with a double Record-Route, the
 * guard's LAN address would travel on the WAN leg in every dialog-creating request, and DESIGN §2
 * wants no LAN address on the WAN leg (topology hiding).
 *
 * So a dialog-creating request gets one value, facing the leg it leaves on (§16.6 step 4); a 1xx/2xx
 * response gets that value rewritten to face the leg it leaves on. Our value in a response is found
 * by position, not by address (a spiral through the guard carries two of its values): the UAS
 * echoes the request's Record-Route list with the values of downstream proxies added on top, so ours
 * is the one just above the values the request arrived with.
 *
 * An in-dialog request then arrives with our value on top of its Route; §16.4: "If the first value
 * in the Route header field indicates this proxy, the proxy MUST remove that value from the request."
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { SipUri } from '../sip/types.js';
import { uriHost } from './contact-alias.js';
import type { GuardAddresses, HostAndPort, LegTransport } from './guard-addresses.js';

/** `<sip:192.0.2.30:40211;transport=tcp;lr>` (no transport parameter for UDP). */
export function recordRouteValue(at: HostAndPort, transport: LegTransport): string {
  const t = transport === 'udp' ? '' : `;transport=${transport}`;
  return `<sip:${uriHost(at.host)}:${at.port}${t};lr>`;
}

/** §16.6 step 4: our value, on top of the copy's Record-Route. */
export function addRecordRoute(copy: SipMessage, value: string): void {
  copy.prependHeader('Record-Route', value);
}

/**
 * §16.7 step 9: our Record-Route value in a response becomes `value` (the URI facing the leg the
 * response leaves on). `receivedCount`: Record-Route values of the request as it arrived. Reads
 * `response`, writes `copy`. Returns false when our value is not where it must be (left as it is).
 */
export function rewriteOwnRecordRoute(response: SipMessage, copy: SipMessage, receivedCount: number, value: string, addresses: GuardAddresses): boolean {
  const values = response.values('Record-Route');
  const at = values.length - receivedCount - 1;
  const routes = response.recordRoutes();
  if (at < 0 || isSipError(routes) || routes.length !== values.length) return false;
  const ours = routes[at]!.uri;
  if ((ours.scheme !== 'sip' && ours.scheme !== 'sips') || !addresses.isOurs(ours as SipUri)) return false;
  values[at] = value;
  copy.removeHeader('Record-Route');
  copy.addHeader('Record-Route', values.join(', '));
  return true;
}

/** §16.4: how many leading Route values name this guard ("indicates this proxy"). */
export function ownRouteCount(message: SipMessage, addresses: GuardAddresses): number {
  const routes = message.routes();
  if (isSipError(routes)) return 0;
  let ours = 0;
  while (ours < routes.length) {
    const uri = routes[ours]!.uri;
    if ((uri.scheme !== 'sip' && uri.scheme !== 'sips') || !addresses.isOurs(uri as SipUri)) break;
    ours++;
  }
  return ours;
}

/**
 * §16.4: "If the first value in the Route header field indicates this proxy, the proxy MUST remove
 * that value from the request." Removes `count` leading values from a copy (count them with
 * {@link ownRouteCount} on the received request: a changed SipMessage's parsed values are not re-read).
 */
export function removeRoutes(copy: SipMessage, count: number): void {
  for (let i = 0; i < count; i++) copy.removeFirst('Route');
}

/** The first Route URI after this guard's own leading values, when it is a SIP URI. */
export function nextRouteUri(received: SipMessage, addresses: GuardAddresses): SipUri | null {
  const routes = received.routes();
  if (isSipError(routes)) return null;
  const next = routes[ownRouteCount(received, addresses)];
  if (next === undefined) return null;
  return next.uri.scheme === 'sip' || next.uri.scheme === 'sips' ? (next.uri as SipUri) : null;
}
