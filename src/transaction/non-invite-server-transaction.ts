/**
 * The non-INVITE server transaction, RFC 3261 §17.2.2.
 *
 * ```
 *            request: pass to TU
 *   Trying ── retransmission: absorb
 *     │ 1xx from TU: send
 *     ▼
 *   Proceeding ── 1xx from TU: send; retransmission: resend the last provisional response
 *     │ 200-699 from TU: send  (from Trying or Proceeding)
 *     ▼
 *   Completed ── retransmission: resend the final response; other finals from TU: discard;
 *                Timer J (64*T1, 0 if reliable) ─► Terminated
 * ```
 *
 * §17.2.2: "Once in the "Trying" state, any further request retransmissions are discarded." "If a
 * retransmission of the request is received while in the "Proceeding" state, the most recently sent
 * provisional response MUST be passed to the transport layer for retransmission." "While in the
 * "Completed" state, the server transaction MUST pass the final response to the transport layer for
 * retransmission whenever a retransmission of the request is received. Any other final responses
 * passed by the TU to the server transaction MUST be discarded while in the "Completed" state." "When
 * the server transaction enters the "Completed" state, it MUST set Timer J to fire in 64*T1 seconds
 * for unreliable transports, and zero seconds for reliable transports."
 *
 * The RFC sets no timer in Trying or Proceeding; a TU that never answers would hold the transaction
 * for ever, so a resource bound (TimerConfig.nonInviteServerLimit, default 128*T1: twice Timer F of
 * the client, which has given up by then) terminates it and tells the TU (onTimeout).
 */
import type { SipMessage } from '../sip/message.js';
import type { Flow } from '../transport/flow.js';
import { isReliableTarget, sendSafely } from './send-fn.js';
import { sixtyFourT1 } from './timer-config.js';
import { TimerSet } from './timer-set.js';
import type { ServerTransactionUser, TransactionContext } from './transaction-user.js';

export enum NonInviteServerState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

type TimerName = 'limit' | 'J';

const NEXT: Readonly<Record<NonInviteServerState, readonly NonInviteServerState[]>> = {
  [NonInviteServerState.Trying]: [
    NonInviteServerState.Proceeding,
    NonInviteServerState.Completed,
    NonInviteServerState.Terminated,
  ],
  [NonInviteServerState.Proceeding]: [NonInviteServerState.Completed, NonInviteServerState.Terminated],
  [NonInviteServerState.Completed]: [NonInviteServerState.Terminated],
  [NonInviteServerState.Terminated]: [],
};

const TIMERS: Readonly<Record<NonInviteServerState, readonly TimerName[]>> = {
  [NonInviteServerState.Trying]: ['limit'],
  [NonInviteServerState.Proceeding]: ['limit'],
  [NonInviteServerState.Completed]: ['J'],
  [NonInviteServerState.Terminated]: [],
};

export interface NonInviteServerTransactionOptions {
  readonly context: TransactionContext;
  readonly request: SipMessage;
  /** Where the request came from; every response goes back on it (§18.2.2). */
  readonly flow: Flow;
  readonly id: string;
  readonly user?: ServerTransactionUser;
  readonly release?: (transaction: NonInviteServerTransaction) => void;
}

export class NonInviteServerTransaction {
  readonly kind = 'non-invite-server' as const;
  readonly id: string;
  readonly request: SipMessage;
  readonly flow: Flow;
  /** TCP/TLS: Timer J = 0. */
  readonly reliable: boolean;
  readonly #context: TransactionContext;
  readonly #timers: TimerSet<TimerName>;
  readonly #release: ((transaction: NonInviteServerTransaction) => void) | undefined;
  #user: ServerTransactionUser;
  #state: NonInviteServerState | undefined;
  #lastProvisional: SipMessage | undefined;
  #lastFinal: SipMessage | undefined;

  constructor(options: NonInviteServerTransactionOptions) {
    this.id = options.id;
    this.request = options.request;
    this.flow = options.flow;
    this.reliable = isReliableTarget(options.flow);
    this.#context = options.context;
    this.#timers = new TimerSet(options.context.clock);
    this.#release = options.release;
    this.#user = options.user ?? {};
  }

  /** "The state machine is initialized in the "Trying" state". */
  get state(): NonInviteServerState {
    return this.#state ?? NonInviteServerState.Trying;
  }

  get method(): string {
    return this.request.method;
  }

  get lastResponse(): SipMessage | undefined {
    return this.#lastFinal ?? this.#lastProvisional;
  }

  get finalResponse(): SipMessage | undefined {
    return this.#lastFinal;
  }

  setUser(user: ServerTransactionUser): void {
    this.#user = user;
  }

  /** Enters Trying. Only the first call counts. */
  start(): void {
    if (this.#state === undefined) this.#transition(NonInviteServerState.Trying);
  }

  /** A response from the TU; returns whether it was passed to the transport. */
  respond(response: SipMessage): boolean {
    const status = response.status;
    if (response.isRequest || status < 100 || status > 699) return false;
    const state = this.#state;
    if (state !== NonInviteServerState.Trying && state !== NonInviteServerState.Proceeding) return false;
    if (status < 200) {
      this.#lastProvisional = response;
      if (state === NonInviteServerState.Trying) this.#transition(NonInviteServerState.Proceeding);
      this.#send(response);
    } else {
      this.#lastFinal = response;
      this.#transition(NonInviteServerState.Completed);
    }
    return true;
  }

  /** A retransmission of the request (§17.2.3 matched it here). */
  receiveRequest(_request: SipMessage): 'absorbed' {
    if (this.#state === NonInviteServerState.Proceeding && this.#lastProvisional !== undefined) {
      this.#send(this.#lastProvisional);
    } else if (this.#state === NonInviteServerState.Completed && this.#lastFinal !== undefined) {
      this.#send(this.#lastFinal);
    }
    return 'absorbed';
  }

  /** Ends the transaction at once, sending nothing. */
  terminate(): void {
    this.#transition(NonInviteServerState.Terminated);
  }

  /** The one guarded transition function. */
  #transition(to: NonInviteServerState): boolean {
    const from = this.#state;
    if (from === undefined ? to !== NonInviteServerState.Trying : !NEXT[from].includes(to)) return false;
    this.#state = to;
    this.#timers.keepOnly(TIMERS[to]);
    switch (to) {
      case NonInviteServerState.Trying:
        this.#timers.start('limit', this.#context.timers.nonInviteServerLimit, () => {
          this.#user.onTimeout?.(this);
          this.#transition(NonInviteServerState.Terminated);
        });
        break;
      case NonInviteServerState.Proceeding:
        break;
      case NonInviteServerState.Completed:
        if (this.reliable) {
          if (this.#lastFinal !== undefined) this.#send(this.#lastFinal);
          return this.#transition(NonInviteServerState.Terminated);
        }
        this.#timers.start('J', sixtyFourT1(this.#context.timers), () =>
          this.#transition(NonInviteServerState.Terminated),
        );
        if (this.#lastFinal !== undefined) this.#send(this.#lastFinal); // last: a failure terminates
        break;
      case NonInviteServerState.Terminated:
        this.#release?.(this);
        this.#user.onTerminated?.(this);
        break;
    }
    return true;
  }

  #send(response: SipMessage): void {
    sendSafely(this.#context.send, response, this.flow, (error) => {
      if (this.#state === NonInviteServerState.Terminated) return;
      this.#user.onTransportError?.(error, this);
      this.#transition(NonInviteServerState.Terminated);
    });
  }
}
