/**
 * What a transaction tells its Transaction User (RFC 3261 §17: "the TU"), and the small context every
 * transaction runs in. The TU is the proxy core (or a UA core in tests); every callback is optional.
 */
import type { SipMessage } from '../sip/message.js';
import type { Clock } from '../util/clock.js';
import type { InviteClientTransaction } from './invite-client-transaction.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import type { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { SendTarget } from '../transport/transport.js';
import type { SendFn } from './send-fn.js';
import type { TimerConfig } from './timer-config.js';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
export type Transaction = ClientTransaction | ServerTransaction;

export interface ClientTransactionUser {
  /** A response the transaction passes up (absorbed retransmissions are not passed up). */
  onResponse?(response: SipMessage, transaction: ClientTransaction): void;
  /** Timer B or F fired (no final response), or a resource bound was reached (see TimerConfig). */
  onTimeout?(transaction: ClientTransaction): void;
  /** §17.1.4: the transport could not send; the transaction terminates right after. */
  onTransportError?(error: unknown, transaction: ClientTransaction): void;
  onTerminated?(transaction: ClientTransaction): void;
}

/** What creates a client transaction, of either kind (`T`: the transaction class). */
export interface ClientTransactionOptions<T> {
  readonly context: TransactionContext;
  /** The request as it goes on the wire (top Via with `branch` already in it). Kept; do not mutate. */
  readonly request: SipMessage;
  readonly target: SendTarget;
  readonly branch: string;
  /** The layer's key for this transaction. */
  readonly id: string;
  readonly user?: ClientTransactionUser;
  /** Told once when the transaction terminates, before the TU (the layer drops its table entry). */
  readonly release?: (transaction: T) => void;
}

export interface ServerTransactionUser {
  /** Timer H fired (no ACK for a non-2xx final response), or a resource bound was reached. */
  onTimeout?(transaction: ServerTransaction): void;
  /** §17.2.4: a response could not be sent; the transaction terminates right after. */
  onTransportError?(error: unknown, transaction: ServerTransaction): void;
  onTerminated?(transaction: ServerTransaction): void;
}

/** Shared by every transaction of one layer. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly send: SendFn;
  readonly timers: TimerConfig;
}
