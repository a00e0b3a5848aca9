/**
 * What the live guard would have done with a request of the capture, had it stood in front of the
 * phones: the same inbound gate (src/policy decideInbound, with the built-in fingerprint classifier)
 * and the same explanations (explainRequest, in the `would` tense: the capture was taken without the
 * guard, so they say what it would have done), asked through a GateContext built from the capture's
 * topology instead of the guard's state.
 *
 * The capture was taken without a guard, so no alias tokens exist: a call from the provider is judged as
 * the guard's rewrite fallback would (the provider addressed the phone's number or contact; accepted when
 * it names exactly one registered account).
 */
import { classify } from '../defense/fingerprint/classify.js';
import type { Explanation } from '../policy/explain.js';
import { explainRequest } from '../policy/explain-request.js';
import type { AliasBinding, GateContext } from '../policy/gate-context.js';
import { decideInbound, decideUnparsable } from '../policy/inbound-gate.js';
import type { Verdict } from '../policy/verdict.js';
import { isSipError, type SipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { SipUri } from '../sip/types.js';
import { makeFlow } from '../transport/flow.js';
import { BoundedMap } from './bounded-map.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { ownString } from './sip-facts.js';
import type { Topology } from './topology.js';

/** Never a prefix of a branch in a capture: nothing is relayed, so the loop check must not fire. */
const NO_BRANCH_PREFIX = 'z9hG4bK-ghostguard-analyze-';
const EXPLANATION_CACHE = 4_096;

export interface GuardJudgement {
  readonly verdict: Verdict;
  readonly explanation: Explanation;
}

export class GuardView {
  private readonly ctx: GateContext;
  /** Floods repeat the same facts: explanations are cached by the facts they are made of. */
  private readonly explanations = new BoundedMap<string, Explanation>(EXPLANATION_CACHE);
  /** The message being judged when it comes from a stranger (isOwnUri needs its destination). */
  private current: CapturedMessage | null = null;

  constructor(
    private readonly topology: Topology,
    knownDialog: (callId: string) => boolean,
  ) {
    this.ctx = {
      isProvider: (address) => topology.isProvider(address),
      aliasFor: () => null,
      knownDialog: (callId) => knownDialog(callId),
      ownRecordRoute: () => false,
      rate: () => 'ok',
      unknownAction: 'drop',
      providerRewritesUri: true,
      isAliasPort: () => true,
      lookupByUser: (user): AliasBinding[] => (topology.accounts.has(user) ? [{ aor: user }] : []),
      ownBranchPrefix: NO_BRANCH_PREFIX,
      classify,
      // Only for strangers: a provider's call may name the phone's private Contact behind a NAT.
      isOwnUri: (uri) => this.current === null || this.isOwnUri(uri, this.current),
    };
  }

  /** A request as the guard's WAN leg would judge it. */
  judge(captured: CapturedMessage, msg: SipMessage): GuardJudgement {
    const source = captured.src.address;
    const flow = makeFlow(captured.transport, { address: captured.dst.address, port: captured.dst.port }, { address: source, port: captured.src.port });
    this.current = this.topology.isProvider(source) ? null : captured;
    const verdict = decideInbound({ msg, flow }, this.ctx);
    this.current = null;
    return { verdict, explanation: this.explain(verdict, msg, source) };
  }

  /** Bytes that did not parse, as the guard would drop them. */
  judgeUnparsable(captured: CapturedMessage, error: SipError): GuardJudgement {
    const source = captured.src.address;
    const verdict = decideUnparsable(error, source, this.topology);
    return { verdict, explanation: this.explain(verdict, null, source) };
  }

  /** A Request-URI naming an address other than the phone it was sent to asks to be relayed onwards. */
  private isOwnUri(uri: SipUri, captured: CapturedMessage): boolean {
    if (uri.hostKind === 'domain') return true;
    const host = uri.host.toLowerCase();
    return host === captured.dst.address.toLowerCase() || this.topology.isPhone(host);
  }

  private explain(verdict: Verdict, msg: SipMessage | null, source: string): Explanation {
    // The From display name and URI, not its tag (new in every request): what the explanation can name.
    const parsedFrom = msg?.from();
    const from = parsedFrom === undefined || isSipError(parsedFrom) ? '' : `${parsedFrom.displayName ?? ''}<${parsedFrom.uri.raw}>`;
    const key = `${verdict.action}|${verdict.status ?? ''}|${verdict.reasons.join(',')}|${verdict.family ?? ''}|${source}|${msg?.method ?? ''}|${msg?.requestUri ?? ''}|${from}|${msg?.userAgent() ?? ''}`;
    const cached = this.explanations.get(key);
    if (cached !== undefined) return cached;
    const explanation = explainRequest({ verdict, msg, source, providerDomain: this.topology.provider.domain, leg: 'wan', mode: 'would' });
    this.explanations.set(ownString(key), explanation);
    return explanation;
  }
}
