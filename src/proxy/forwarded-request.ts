/**
 * One request the guard forwards statefully (RFC 3261 §16: "a stateful proxy ... maintains a
 * response context"): its server transaction on the leg it came from, its client transaction on the
 * other leg, and what happens to the responses. The guard never forks, so there is one branch and
 * the best response is simply the final response that arrives (§16.7 step 6), except that a 503 is
 * answered upstream as 500 ("If the only response is 503, the proxy SHOULD generate a 500",
 * §16.7 step 6, so that the upstream does not take the provider for unavailable).
 *
 * Responses go upstream (§16.7): a 100 is not forwarded (step 5: "a proxy MUST NOT forward a 100
 * (Trying) response"); our Via is removed and the Vias of the request as it arrived restored (the
 * guard hides a phone's Vias on the WAN leg); towards the WAN leg every Contact is the phone's alias.
 * Our Record-Route value is rewritten to face the upstream leg (§16.7 step 9, `record-route.ts`).
 * A 101-299 response to an INVITE with a To tag makes or confirms a dialog (§12.1); a failure ends
 * the INVITE's early dialogs; a BYE's final response ends its dialog.
 *
 * Timer C (§16.6 step 11, §16.8): started when an INVITE is forwarded, reset by every provisional
 * response. "If timer C fires ... If the client transaction has received a provisional response,
 * the proxy MUST generate a CANCEL request matching that transaction. If the client transaction has
 * not received a provisional response, the proxy MUST behave as if the transaction received a 408".
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { ClientTransaction, ClientTransactionUser, ServerTransaction } from '../transaction/transaction-user.js';
import type { Flow } from '../transport/flow.js';
import type { TimerHandle } from '../util/clock.js';
import { answer } from './answer.js';
import { aliasContacts } from './contact-alias.js';
import type { DialogInit, DialogTable } from './dialog-table.js';
import { restoreVias } from './forwarding.js';
import { rewriteOwnRecordRoute } from './record-route.js';
import { viaTransport } from './leg-transports.js';
import { firstContactUri, tagOf } from './message-facts.js';
import type { ProxyContext } from './proxy-context.js';

/** `inbound`: from the provider (WAN) to a phone (LAN); `outbound`: from a phone to the provider. */
export type Direction = 'inbound' | 'outbound';

export interface ForwardedRequestOptions {
  readonly ctx: ProxyContext;
  readonly dialogs: DialogTable;
  readonly server: ServerTransaction;
  readonly direction: Direction;
  /** The alias the phone is known by on the WAN leg. */
  readonly token: string;
  readonly bindingToken: string | null;
  /** Where the phone is (LAN leg) and where the provider side is (WAN leg). */
  readonly phoneFlow: Flow;
  readonly wanFlow: Flow;
  /** The phone's Contact URI as known when forwarding (inbound: the Request-URI used). */
  readonly phoneTarget: string;
  /**
   * Our Record-Route value facing the leg responses go back to, when the request was record-routed:
   * 1xx/2xx responses get our value rewritten to it (`record-route.ts`, §16.7 step 9).
   */
  readonly upstreamRecordRoute: string | null;
  /** Timer C, ms (default 180 000). */
  readonly timerCMs: number;
}

export const DEFAULT_TIMER_C = 180_000;

export class ForwardedRequest implements ClientTransactionUser {
  readonly #o: ForwardedRequestOptions;
  #client: ClientTransaction | undefined;
  #provisional = false;
  #final = false;
  #timerC: TimerHandle | undefined;

  constructor(options: ForwardedRequestOptions) {
    this.#o = options;
  }

  get server(): ServerTransaction {
    return this.#o.server;
  }

  get direction(): Direction {
    return this.#o.direction;
  }

  /** Hands the forwarded copy to the transaction layer. False when refused (the caller answers). */
  start(forwarded: SipMessage, target: Flow): boolean {
    const result = this.#o.ctx.transactions.sendRequest(forwarded, { target, user: this });
    if (result.kind !== 'created') return false;
    this.#client = result.transaction;
    if (forwarded.method === 'INVITE') this.#armTimerC();
    return true;
  }

  /** §16.10: cancel the pending client transaction (sent now, or on its first provisional response). */
  cancel(): void {
    const client = this.#client;
    if (client?.kind !== 'invite-client') return;
    this.#o.ctx.transactions.cancel(client);
  }

  onResponse(response: SipMessage): void {
    const status = response.status;
    if (status < 200) {
      if (status === 100) return;
      this.#provisional = true;
      if (this.#timerC !== undefined) this.#armTimerC();
    } else {
      this.#final = true;
      this.#stopTimerC();
    }
    this.#trackDialog(response);
    this.#forwardUpstream(response);
  }

  onTimeout(): void {
    this.#stopTimerC();
    if (!this.#final) answer(this.#o.server, 408, 'Request Timeout');
    this.#final = true;
    this.#failed();
  }

  onTransportError(): void {
    this.#stopTimerC();
    // §16.9: a transport error counts as a 503, which goes upstream as 500 (§16.7 step 6).
    if (!this.#final) answer(this.#o.server, 500, 'Server Internal Error');
    this.#final = true;
    this.#failed();
  }

  onTerminated(): void {
    this.#stopTimerC();
  }

  #forwardUpstream(response: SipMessage): void {
    const { server, direction, ctx, token } = this.#o;
    if (response.status === 503) {
      answer(server, 500, 'Server Internal Error');
      return;
    }
    const copy = response.clone();
    if (direction === 'inbound') {
      // Topology hiding: a Contact leaving on the WAN leg is the phone's alias, never its address.
      const transport = viaTransport(this.#o.wanFlow.transport);
      aliasContacts(copy, token, ctx.addresses.wanSentBy(transport), transport);
    }
    const rr = this.#o.upstreamRecordRoute;
    if (rr !== null && response.status > 100 && response.status < 300) {
      rewriteOwnRecordRoute(response, copy, server.request.values('Record-Route').length, rr, ctx.addresses);
    }
    restoreVias(copy, server.request);
    server.respond(copy);
  }

  /** §12.1 dialogs, §12.3 early dialog failures, §15.1.2 BYE. */
  #trackDialog(response: SipMessage): void {
    const { dialogs, server } = this.#o;
    const request = server.request;
    const method = request.method;
    const status = response.status;
    const callId = request.callId();
    if (isSipError(callId)) return;
    const fromTag = tagOf(request.from());
    const toTag = tagOf(response.to());
    if (method === 'BYE' && status >= 200) {
      if (fromTag !== null && toTag !== null) dialogs.remove(this.#sides(callId, fromTag, toTag));
      return;
    }
    if (method !== 'INVITE') return;
    if (status >= 300) {
      if (fromTag !== null) dialogs.dropEarly(callId, this.#o.direction === 'inbound' ? 'provider' : 'phone', fromTag);
      return;
    }
    if (fromTag === null || toTag === null) return;
    dialogs.establish(this.#dialogInit(callId, fromTag, toTag, response), status >= 200);
  }

  #sides(callId: string, fromTag: string, toTag: string): { callId: string; phoneTag: string; remoteTag: string } {
    return this.#o.direction === 'inbound'
      ? { callId, phoneTag: toTag, remoteTag: fromTag }
      : { callId, phoneTag: fromTag, remoteTag: toTag };
  }

  #dialogInit(callId: string, fromTag: string, toTag: string, response: SipMessage): DialogInit {
    const o = this.#o;
    const request = o.server.request;
    const inbound = o.direction === 'inbound';
    const sides = this.#sides(callId, fromTag, toTag);
    const phoneTarget = (inbound ? firstContactUri(response) : firstContactUri(request)) ?? o.phoneTarget;
    const remoteTarget = (inbound ? firstContactUri(request) : firstContactUri(response)) ?? '';
    return {
      ...sides,
      origin: inbound ? 'provider' : 'phone',
      token: o.token,
      bindingToken: o.bindingToken,
      phoneTarget,
      phoneFlow: o.phoneFlow,
      remoteTarget,
      wanFlow: o.wanFlow,
    };
  }

  #failed(): void {
    const request = this.#o.server.request;
    if (request.method !== 'INVITE') return;
    const callId = request.callId();
    const fromTag = tagOf(request.from());
    if (!isSipError(callId) && fromTag !== null) {
      this.#o.dialogs.dropEarly(callId, this.#o.direction === 'inbound' ? 'provider' : 'phone', fromTag);
    }
  }

  #armTimerC(): void {
    this.#timerC?.cancel();
    this.#timerC = this.#o.ctx.clock.setTimeout(() => this.#onTimerC(), this.#o.timerCMs);
  }

  #stopTimerC(): void {
    this.#timerC?.cancel();
    this.#timerC = undefined;
  }

  /** §16.8. */
  #onTimerC(): void {
    this.#timerC = undefined;
    if (this.#final) return;
    if (this.#provisional) {
      this.cancel();
      return;
    }
    this.#final = true;
    this.#client?.terminate();
    answer(this.#o.server, 408, 'Request Timeout');
    this.#failed();
  }
}
