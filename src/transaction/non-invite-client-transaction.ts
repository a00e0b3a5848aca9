/**
 * The non-INVITE client transaction, RFC 3261 §17.1.2.
 *
 * ```
 *            start: send request; E = T1 (unreliable only), F = 64*T1
 *   Trying ── Timer E: retransmit, E = min(2*E, T2)       Timer F / transport error: inform TU
 *     │ 1xx: pass up                                        ─► Terminated
 *     ▼
 *   Proceeding ── 1xx: pass up; Timer E: retransmit, E = T2
 *     │ 200-699: pass up  (from Trying or Proceeding)
 *     ▼
 *   Completed ── response retransmissions absorbed; Timer K (T4, 0 if reliable) ─► Terminated
 * ```
 *
 * §17.1.2.2: "If Timer E fires while still in this state, the timer is reset, but this time with a
 * value of MIN(2*T1, T2). When the timer fires again, it is reset to a MIN(4*T1, T2)." "If Timer E
 * fires while in the "Proceeding" state, the request MUST be passed to the transport layer for
 * retransmission, and Timer E MUST be reset with a value of T2 seconds." "If Timer F fires while in
 * the "Proceeding" state, the TU MUST be informed of a timeout, and the client transaction MUST
 * transition to the terminated state." "If a final response (status codes 200-699) is received while
 * the client transaction is in the "Trying" state, the response MUST be passed to the TU". "Once the
 * client transaction enters the "Completed" state, it MUST set Timer K to fire in T4 seconds for
 * unreliable transports, and zero seconds for reliable transports. The "Completed" state exists to
 * buffer any additional response retransmissions that may be received".
 */
import type { SipMessage } from '../sip/message.js';
import type { SendTarget } from '../transport/transport.js';
import { isReliableTarget, sendSafely } from './send-fn.js';
import { sixtyFourT1 } from './timer-config.js';
import { TimerSet } from './timer-set.js';
import type { ClientTransactionOptions, ClientTransactionUser, TransactionContext } from './transaction-user.js';

export enum NonInviteClientState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

type TimerName = 'E' | 'F' | 'K';

const NEXT: Readonly<Record<NonInviteClientState, readonly NonInviteClientState[]>> = {
  [NonInviteClientState.Trying]: [
    NonInviteClientState.Proceeding,
    NonInviteClientState.Completed,
    NonInviteClientState.Terminated,
  ],
  [NonInviteClientState.Proceeding]: [NonInviteClientState.Completed, NonInviteClientState.Terminated],
  [NonInviteClientState.Completed]: [NonInviteClientState.Terminated],
  [NonInviteClientState.Terminated]: [],
};

/** The timers that live in each state; Timers E and F run on from Trying into Proceeding. */
const TIMERS: Readonly<Record<NonInviteClientState, readonly TimerName[]>> = {
  [NonInviteClientState.Trying]: ['E', 'F'],
  [NonInviteClientState.Proceeding]: ['E', 'F'],
  [NonInviteClientState.Completed]: ['K'],
  [NonInviteClientState.Terminated]: [],
};

export type NonInviteClientTransactionOptions = ClientTransactionOptions<NonInviteClientTransaction>;

export class NonInviteClientTransaction {
  readonly kind = 'non-invite-client' as const;
  readonly id: string;
  readonly request: SipMessage;
  readonly target: SendTarget;
  readonly branch: string;
  /** TCP/TLS: no Timer E, Timer K = 0 (§17.1.2.2). */
  readonly reliable: boolean;
  readonly #context: TransactionContext;
  readonly #timers: TimerSet<TimerName>;
  readonly #release: ((transaction: NonInviteClientTransaction) => void) | undefined;
  #user: ClientTransactionUser;
  #state: NonInviteClientState | undefined;

  constructor(options: NonInviteClientTransactionOptions) {
    this.id = options.id;
    this.request = options.request;
    this.target = options.target;
    this.branch = options.branch;
    this.reliable = isReliableTarget(options.target);
    this.#context = options.context;
    this.#timers = new TimerSet(options.context.clock);
    this.#release = options.release;
    this.#user = options.user ?? {};
  }

  /** "The "Trying" state is entered when the TU initiates a new client transaction with a request." */
  get state(): NonInviteClientState {
    return this.#state ?? NonInviteClientState.Trying;
  }

  get method(): string {
    return this.request.method;
  }

  setUser(user: ClientTransactionUser): void {
    this.#user = user;
  }

  /** Sends the request and enters Trying. Only the first call counts. */
  start(): void {
    if (this.#state === undefined) this.#transition(NonInviteClientState.Trying);
  }

  /** Handles a matched response (§17.1.3); returns whether it was passed up to the TU. */
  receiveResponse(response: SipMessage): boolean {
    const state = this.#state;
    if (state !== NonInviteClientState.Trying && state !== NonInviteClientState.Proceeding) return false;
    if (response.status < 200) {
      if (state === NonInviteClientState.Trying) this.#transition(NonInviteClientState.Proceeding);
      this.#user.onResponse?.(response, this);
      return true;
    }
    this.#user.onResponse?.(response, this);
    this.#transition(NonInviteClientState.Completed);
    return true;
  }

  /** Ends the transaction at once, sending nothing. */
  terminate(): void {
    this.#transition(NonInviteClientState.Terminated);
  }

  /** The one guarded transition function. */
  #transition(to: NonInviteClientState): boolean {
    const from = this.#state;
    if (from === undefined ? to !== NonInviteClientState.Trying : !NEXT[from].includes(to)) return false;
    this.#state = to;
    this.#timers.keepOnly(TIMERS[to]);
    const timers = this.#context.timers;
    switch (to) {
      case NonInviteClientState.Trying:
        if (!this.reliable) this.#timers.start('E', timers.t1, () => this.#onTimerE(timers.t1));
        this.#timers.start('F', sixtyFourT1(timers), () => {
          this.#user.onTimeout?.(this);
          this.#transition(NonInviteClientState.Terminated);
        });
        this.#send(); // last: a failing send terminates, which cancels E and F
        break;
      case NonInviteClientState.Proceeding:
        break;
      case NonInviteClientState.Completed:
        if (this.reliable) return this.#transition(NonInviteClientState.Terminated);
        this.#timers.start('K', timers.t4, () => this.#transition(NonInviteClientState.Terminated));
        break;
      case NonInviteClientState.Terminated:
        this.#release?.(this);
        this.#user.onTerminated?.(this);
        break;
    }
    return true;
  }

  #onTimerE(interval: number): void {
    const { t2 } = this.#context.timers;
    if (this.#state === NonInviteClientState.Trying) {
      const next = Math.min(2 * interval, t2);
      this.#timers.start('E', next, () => this.#onTimerE(next));
    } else if (this.#state === NonInviteClientState.Proceeding) {
      this.#timers.start('E', t2, () => this.#onTimerE(t2));
    } else {
      return;
    }
    this.#send();
  }

  #send(): void {
    sendSafely(this.#context.send, this.request, this.target, (error) => {
      if (this.#state === NonInviteClientState.Terminated) return;
      this.#user.onTransportError?.(error, this);
      this.#transition(NonInviteClientState.Terminated);
    });
  }
}
