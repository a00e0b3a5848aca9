/**
 * The inbound gate: what happens to a request that arrives on the WAN leg (DESIGN.md §2 "Inbound
 * decision"), cheapest and most reliable checks first:
 *
 *   1. banned source → drop before parsing                          (decideBanned)
 *   2. bounded size and sane framing → else drop, `malformed`       (decideUnparsable; then, for the
 *      provider's requests only, validate() → else 400 `malformed`)
 *   3. source ∈ provider set                                        → else `not-from-provider`
 *   4. Request-URI names a live alias token, or the request is in-dialog (To tag, and the dialog is known
 *      or the Route carries our Record-Route), or the rewrite fallback finds exactly one account
 *                                                                   → else `unknown-alias` / `no-alias` /
 *                                                                     `unknown-dialog` / `open-relay`
 *   5. rate state (defense layer)                                   → `flood`
 *   6. fingerprint (defense layer's classifier)                     → label `scanner-fingerprint` + family
 *      (at once, or with `labelLater` only when the caller asks, `labelNow`: the guard labels the
 *      events it records in full, not every packet of a flood)
 *
 * Only what passes 3 and 4 (and is not rate-limited) is relayed, after the RFC 3261 §16.3 forwarding
 * checks (483, 482). Everything else is refused as `policy.unknown` says: dropped silently by default,
 * or answered 403/404. Three exceptions, whatever `policy.unknown` says:
 * - a rate-limited request is always dropped (answering a flood would amplify it);
 * - a malformed request is dropped, except from the provider, which gets a 400 (RFC 3261 §16.3 step 1);
 * - an ACK is never answered, so it is dropped (RFC 3261 §17).
 *
 * The provider is rate-limited, never banned (DESIGN §2 step 5): every verdict about a provider source
 * carries `neverBan`, and the caller must not ban it, whatever the reasons (including `flood`).
 *
 * Retransmissions, CANCELs and ACKs for non-2xx that match a server transaction are absorbed by the
 * transaction layer before the gate; responses never come here.
 */
import { isSipError, type SipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { validate } from '../sip/validate.js';
import type { Flow } from '../transport/flow.js';
import { extractAliasToken, isSipUri, looksLikeAliasToken, requestUser } from './alias-token.js';
import { checkForwarding } from './check-forwarding.js';
import type { AliasBinding, Classification, GateContext } from './gate-context.js';
import type { ReasonCode } from './reason-codes.js';
import { drop, forMethod, refuse, reject, relay, type Verdict } from './verdict.js';

export interface InboundInput {
  readonly msg: SipMessage;
  readonly flow: Flow;
}

/** A verdict with where to relay: the binding(s) the request names (empty for a dialog-routed request). */
export type InboundVerdict<B extends AliasBinding = AliasBinding> = Verdict & {
  readonly targets: readonly B[];
  /** The fingerprint label was left for later (`GateContext.labelLater`): see {@link labelNow}. */
  readonly labelPending?: true;
};

/** Step 1, before parsing: a banned source is dropped unread. The provider is never treated as banned. */
export function decideBanned(
  address: string,
  ctx: { isBanned(address: string): boolean; isProvider(address: string): boolean },
): Verdict | null {
  if (!ctx.isBanned(address) || ctx.isProvider(address)) return null;
  return drop(['banned']);
}

/** Step 2 for bytes that did not parse: dropped (nothing can be answered without a Via), `too-large` or `malformed`. */
export function decideUnparsable(error: SipError, address: string, ctx: { isProvider(address: string): boolean }): Verdict {
  const reason: ReasonCode = error.code === 'SIP_TOO_LARGE' ? 'too-large' : 'malformed';
  return drop([reason], { note: error.code, neverBan: ctx.isProvider(address) });
}

/** Steps 2 to 6 for a parsed message. */
export function decideInbound<B extends AliasBinding>(input: InboundInput, ctx: GateContext<B>): InboundVerdict<B> {
  const { msg, flow } = input;
  const source = flow.remote.address;
  const fromProvider = ctx.isProvider(source);
  const neverBan = fromProvider;

  // A stranger's request is refused whatever its grammar says: only the provider's is validated
  // (and answered 400 when it fails), so a flood costs no more than its parse.
  const fault = msg.isRequest && fromProvider ? validate(msg) : null;
  if (!msg.isRequest || fault !== null) {
    const note = fault === null ? 'a response where a request was expected' : fault.code;
    const verdict = fromProvider && msg.isRequest ? reject(400, ['malformed'], { note, neverBan }) : drop(['malformed'], { note, neverBan });
    return noTargets(forMethod(verdict, msg.method));
  }

  const addressing = checkAddressing(msg, flow, ctx, fromProvider);
  const reasons: ReasonCode[] = [];
  if (!fromProvider) reasons.push('not-from-provider');
  if (!addressing.ok) reasons.push(addressing.reason);
  const limited = ctx.rate(source) === 'limited';
  if (limited) reasons.push('flood');

  if (reasons.length === 0 && addressing.ok) {
    const refused = checkForwarding(msg, ctx.ownBranchPrefix, { neverBan });
    if (refused !== null) return noTargets(refused);
    const info: ReasonCode[] = addressing.info === null ? [] : [addressing.info];
    return { ...relay(info, { neverBan, ...noteOf(addressing.note) }), targets: addressing.targets };
  }

  const extras = { neverBan, note: addressing.note };
  // Fingerprints only label; a flood's packets are not worth the cost (its first ones were labelled).
  if (limited) return noTargets(forMethod(drop(reasons, extras), msg.method));
  const verdict = forMethod(refuse(ctx.unknownAction, reasons, extras), msg.method);
  if (ctx.labelLater === true && ctx.classify !== undefined) return noTargets(verdict, true);
  return noTargets(withLabel(verdict, ctx.classify?.(msg) ?? null));
}

/** Step 6: a refusal labelled with the scanner the fingerprints name (reason `scanner-fingerprint`, and its family). */
export function withLabel(verdict: Verdict, label: Classification | null): Verdict {
  if (label === null) return verdict;
  return { ...verdict, reasons: Object.freeze([...verdict.reasons, 'scanner-fingerprint' as const]), family: label.family };
}

/** Step 6 now, for a refusal whose label was left for later (`GateContext.labelLater`); any other verdict as it is. */
export function labelNow(verdict: Verdict & { readonly labelPending?: true }, msg: SipMessage, ctx: Pick<GateContext, 'classify'>): Verdict {
  if (verdict.labelPending !== true) return verdict;
  const { labelPending: _pending, ...rest } = verdict;
  return withLabel(rest, ctx.classify?.(msg) ?? null);
}

type Addressing<B> =
  | { ok: true; targets: readonly B[]; info: ReasonCode | null; note: string | undefined }
  | { ok: false; reason: ReasonCode; note: string | undefined };

/** Step 4: does the request name a live alias, a known dialog, or (fallback) exactly one account? */
function checkAddressing<B extends AliasBinding>(msg: SipMessage, flow: Flow, ctx: GateContext<B>, fromProvider: boolean): Addressing<B> {
  const uri = msg.uri();
  const token = extractAliasToken(uri);
  const binding = token === null ? null : ctx.aliasFor(token);
  if (binding !== null) {
    return { ok: true, targets: [binding], info: null, note: fromProvider ? undefined : 'names a live alias token' };
  }

  const to = msg.to();
  const toTag = isSipError(to) ? null : (to.params.get('tag') ?? null);
  if (toTag !== null) {
    if (inKnownDialog(msg, toTag, ctx)) return { ok: true, targets: [], info: null, note: undefined };
    return { ok: false, reason: 'unknown-dialog', note: undefined };
  }

  // A Request-URI that names another host is never ours to deliver, whoever sends it: checked before
  // the rewrite fallback, so that `sip:alice@<a LAN address>` from the provider's address cannot
  // reach a phone by its user name.
  if (!isSipError(uri) && isSipUri(uri) && ctx.isOwnUri !== undefined && !ctx.isOwnUri(uri)) {
    return { ok: false, reason: 'open-relay', note: undefined };
  }

  const user = requestUser(uri);
  if (ctx.providerRewritesUri && fromProvider && user !== null && ctx.isAliasPort(flow.local.port)) {
    const found = ctx.lookupByUser(user);
    const accounts = new Set(found.map((b) => b.aor));
    if (accounts.size === 1) return { ok: true, targets: found, info: 'provider-rewrites-uri', note: undefined };
    if (accounts.size > 1) return { ok: false, reason: 'no-alias', note: `rewrite fallback: ${accounts.size} accounts match` };
  }
  return { ok: false, reason: looksLikeAliasToken(token) ? 'unknown-alias' : 'no-alias', note: undefined };
}

/** In-dialog: the dialog is known, or the Route carries our Record-Route (RFC 3261 §12.2.1.1, §16.12). */
function inKnownDialog<B extends AliasBinding>(msg: SipMessage, toTag: string, ctx: GateContext<B>): boolean {
  const callId = msg.callId();
  const from = msg.from();
  const fromTag = isSipError(from) ? null : (from.params.get('tag') ?? null);
  if (!isSipError(callId) && ctx.knownDialog(callId, toTag, fromTag)) return true;
  const routes = msg.routes();
  return !isSipError(routes) && routes.some((route) => ctx.ownRecordRoute(route.uri));
}

const NO_TARGETS: readonly never[] = Object.freeze([]);

/** The verdict (fresh from verdict.ts, held by nobody else) with no targets; no object spread on the flood path. */
function noTargets<B>(verdict: Verdict, labelPending = false): InboundVerdict<B & AliasBinding> {
  const out = verdict as Verdict & { targets: readonly B[]; labelPending?: true };
  out.targets = NO_TARGETS;
  if (labelPending) out.labelPending = true;
  return out as InboundVerdict<B & AliasBinding>;
}

function noteOf(note: string | undefined): { note?: string } {
  return note === undefined ? {} : { note };
}
