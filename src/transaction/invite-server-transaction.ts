/**
 * The INVITE server transaction, RFC 3261 §17.2.1, with the "Accepted" state of RFC 6026 §7.1.
 *
 * ```
 *               INVITE: pass to TU; send 100 Trying if the TU has not answered within 200 ms
 *   Proceeding ── INVITE retransmission: resend the last provisional response
 *      │  1xx from TU: send
 *      ├── 2xx from TU: send ─► Accepted ── INVITE: absorb; ACK: to the TU; 2xx from TU: send;
 *      │                                    Timer L (64*T1) ─► Terminated
 *      └── 300-699 from TU: send ─► Completed ── INVITE: resend final; Timer G: resend final,
 *                                      │          G = min(2*G, T2); Timer H: inform TU ─► Terminated
 *                                      │ ACK
 *                                      ▼
 *                                   Confirmed ── ACK: absorb; Timer I (T4, 0 if reliable) ─► Terminated
 * ```
 *
 * §17.2.1: "The server transaction MUST generate a 100 (Trying) response unless it knows that the TU
 * will generate a provisional or final response within 200 ms". A proxy core sends its own 100
 * (§16.2), so the delay is configurable and can be switched off. "If a request retransmission is
 * received while in the "Proceeding" state, the most recent provisional response that was received
 * from the TU MUST be passed to the transport layer for retransmission." (the 100 Trying sent here
 * counts as one). "If timer G fires, the response is passed to the transport layer once more for
 * retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds."
 * "If timer H fires while in the "Completed" state, it implies that the ACK was never received. In
 * this case, the server transaction MUST transition to the "Terminated" state, and MUST indicate to
 * the TU that a transaction failure has occurred." "If an ACK is received while the server
 * transaction is in the "Completed" state, the server transaction MUST transition to the "Confirmed"
 * state." Timer I is T4 on unreliable transports, zero on reliable ones; Timer G runs on unreliable
 * transports only.
 *
 * RFC 6026 §7.1: a 2xx from the TU moves the transaction to "Accepted" (not Terminated) for Timer L
 * = 64*T1, so that retransmissions of the INVITE are absorbed instead of looking like new requests,
 * further 2xx responses from the TU (retransmissions, other forks) are still sent, and a matching
 * ACK is handed to the TU. Retransmitting the 2xx until the ACK arrives stays the TU's job (§13.3.1.4).
 */
import type { SipMessage } from '../sip/message.js';
import { isSipError } from '../sip/errors.js';
import type { Flow } from '../transport/flow.js';
import { buildResponse } from './build-response.js';
import { isReliableTarget, sendSafely } from './send-fn.js';
import { sixtyFourT1 } from './timer-config.js';
import { TimerSet } from './timer-set.js';
import type { ServerTransactionUser, TransactionContext } from './transaction-user.js';

export enum InviteServerState {
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

/** `trying`: the 200 ms 100 Trying wait; `limit`: the TimerConfig resource bound. */
type TimerName = 'trying' | 'limit' | 'G' | 'H' | 'I' | 'L';

const NEXT: Readonly<Record<InviteServerState, readonly InviteServerState[]>> = {
  [InviteServerState.Proceeding]: [InviteServerState.Completed, InviteServerState.Accepted, InviteServerState.Terminated],
  [InviteServerState.Completed]: [InviteServerState.Confirmed, InviteServerState.Terminated],
  [InviteServerState.Confirmed]: [InviteServerState.Terminated],
  [InviteServerState.Accepted]: [InviteServerState.Terminated],
  [InviteServerState.Terminated]: [],
};

const TIMERS: Readonly<Record<InviteServerState, readonly TimerName[]>> = {
  [InviteServerState.Proceeding]: ['trying', 'limit'],
  [InviteServerState.Completed]: ['G', 'H'],
  [InviteServerState.Confirmed]: ['I'],
  [InviteServerState.Accepted]: ['L'],
  [InviteServerState.Terminated]: [],
};

/** What a request matched to this transaction amounted to. */
export type InviteServerInput = 'absorbed' | 'ack-for-2xx';

export interface InviteServerTransactionOptions {
  readonly context: TransactionContext;
  readonly request: SipMessage;
  /** Where the INVITE came from; every response goes back on it (§18.2.2). */
  readonly flow: Flow;
  readonly id: string;
  /** ms before an automatic 100 Trying; `false`: never (a proxy core sends its own). */
  readonly tryingDelay: number | false;
  readonly user?: ServerTransactionUser;
  readonly release?: (transaction: InviteServerTransaction) => void;
}

export class InviteServerTransaction {
  readonly kind = 'invite-server' as const;
  readonly id: string;
  readonly request: SipMessage;
  readonly flow: Flow;
  /** TCP/TLS: no Timer G, Timer I = 0. */
  readonly reliable: boolean;
  readonly #context: TransactionContext;
  readonly #timers: TimerSet<TimerName>;
  readonly #tryingDelay: number | false;
  readonly #release: ((transaction: InviteServerTransaction) => void) | undefined;
  #user: ServerTransactionUser;
  #state: InviteServerState | undefined;
  #lastProvisional: SipMessage | undefined;
  #lastFinal: SipMessage | undefined;

  constructor(options: InviteServerTransactionOptions) {
    this.id = options.id;
    this.request = options.request;
    this.flow = options.flow;
    this.reliable = isReliableTarget(options.flow);
    this.#context = options.context;
    this.#timers = new TimerSet(options.context.clock);
    this.#tryingDelay = options.tryingDelay;
    this.#release = options.release;
    this.#user = options.user ?? {};
  }

  /** "When a server transaction is constructed for a request, it enters the "Proceeding" state." */
  get state(): InviteServerState {
    return this.#state ?? InviteServerState.Proceeding;
  }

  get method(): 'INVITE' {
    return 'INVITE';
  }

  /** The most recent response sent (provisional or final), if any. */
  get lastResponse(): SipMessage | undefined {
    return this.#lastFinal ?? this.#lastProvisional;
  }

  /** The final response sent (the first 2xx in Accepted), if any. */
  get finalResponse(): SipMessage | undefined {
    return this.#lastFinal;
  }

  setUser(user: ServerTransactionUser): void {
    this.#user = user;
  }

  /** Enters Proceeding (arms the 100 Trying timer). Only the first call counts. */
  start(): void {
    if (this.#state === undefined) this.#transition(InviteServerState.Proceeding);
  }

  /**
   * A response from the TU. Returns whether it was passed to the transport; false when the state
   * forbids it (e.g. a second final response after a non-2xx, or anything once Terminated).
   */
  respond(response: SipMessage): boolean {
    const status = response.status;
    if (response.isRequest || status < 100 || status > 699) return false;
    switch (this.#state) {
      case InviteServerState.Proceeding:
        if (status < 200) {
          this.#lastProvisional = response;
          this.#send(response);
        } else {
          this.#lastFinal = response;
          this.#transition(status < 300 ? InviteServerState.Accepted : InviteServerState.Completed);
        }
        return true;
      case InviteServerState.Accepted:
        if (status < 200 || status >= 300) return false;
        this.#send(response);
        return true;
      default:
        return false;
    }
  }

  /** A request matched to this transaction (§17.2.3): a retransmitted INVITE or an ACK. */
  receiveRequest(request: SipMessage): InviteServerInput {
    const state = this.#state;
    if (request.method === 'ACK') {
      if (state === InviteServerState.Completed) this.#transition(InviteServerState.Confirmed);
      return state === InviteServerState.Accepted ? 'ack-for-2xx' : 'absorbed';
    }
    if (state === InviteServerState.Proceeding && this.#lastProvisional !== undefined) {
      this.#send(this.#lastProvisional);
    } else if (state === InviteServerState.Completed && this.#lastFinal !== undefined) {
      this.#send(this.#lastFinal);
    }
    return 'absorbed';
  }

  /** Ends the transaction at once, sending nothing (e.g. the TU drops the request silently). */
  terminate(): void {
    this.#transition(InviteServerState.Terminated);
  }

  /** The one guarded transition function. */
  #transition(to: InviteServerState): boolean {
    const from = this.#state;
    if (from === undefined ? to !== InviteServerState.Proceeding : !NEXT[from].includes(to)) return false;
    this.#state = to;
    this.#timers.keepOnly(TIMERS[to]);
    const timers = this.#context.timers;
    switch (to) {
      case InviteServerState.Proceeding:
        this.#timers.start('limit', timers.inviteProceedingLimit, () => this.#onTimeout());
        if (this.#tryingDelay === 0) this.#sendTrying();
        else if (this.#tryingDelay !== false) this.#timers.start('trying', this.#tryingDelay, () => this.#sendTrying());
        break;
      case InviteServerState.Completed:
        if (!this.reliable) this.#timers.start('G', timers.t1, () => this.#onTimerG(timers.t1));
        this.#timers.start('H', sixtyFourT1(timers), () => this.#onTimeout());
        if (this.#lastFinal !== undefined) this.#send(this.#lastFinal); // last: a failure terminates
        break;
      case InviteServerState.Confirmed:
        if (this.reliable) return this.#transition(InviteServerState.Terminated);
        this.#timers.start('I', timers.t4, () => this.#transition(InviteServerState.Terminated));
        break;
      case InviteServerState.Accepted:
        this.#timers.start('L', sixtyFourT1(timers), () => this.#transition(InviteServerState.Terminated));
        if (this.#lastFinal !== undefined) this.#send(this.#lastFinal);
        break;
      case InviteServerState.Terminated:
        this.#release?.(this);
        this.#user.onTerminated?.(this);
        break;
    }
    return true;
  }

  /** §17.2.1: 100 Trying, unless the TU has already sent a provisional response. */
  #sendTrying(): void {
    if (this.#state !== InviteServerState.Proceeding || this.#lastProvisional !== undefined) return;
    const trying = buildResponse(this.request, 100, 'Trying');
    if (isSipError(trying)) return;
    this.#lastProvisional = trying;
    this.#send(trying);
  }

  #onTimerG(interval: number): void {
    if (this.#state !== InviteServerState.Completed || this.#lastFinal === undefined) return;
    const next = Math.min(2 * interval, this.#context.timers.t2);
    this.#timers.start('G', next, () => this.#onTimerG(next));
    this.#send(this.#lastFinal);
  }

  #onTimeout(): void {
    this.#user.onTimeout?.(this);
    this.#transition(InviteServerState.Terminated);
  }

  #send(response: SipMessage): void {
    sendSafely(this.#context.send, response, this.flow, (error) => {
      if (this.#state === InviteServerState.Terminated) return;
      this.#user.onTransportError?.(error, this);
      this.#transition(InviteServerState.Terminated);
    });
  }
}
