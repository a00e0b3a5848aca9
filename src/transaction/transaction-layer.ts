/**
 * The transaction layer, RFC 3261 §17: the tables of client and server transactions, matching of
 * incoming messages to them (§17.1.3, §17.2.3, and CANCEL to INVITE per §9.2), and creation of new
 * transactions. It reports; the TU (the proxy core) decides what to do with what it reports.
 *
 * Memory is bounded: at most `maxServerTransactions` and `maxClientTransactions` live transactions
 * (each holds one request and its last responses); beyond that a new transaction is refused with a
 * result the caller counts, never queued. Every transaction ends by its own timers.
 *
 * Hardening beyond the RFC: a request that matches a server transaction but arrives from another
 * source address than the request that created it is not treated as a retransmission (result
 * `source-mismatch`): every legitimate retransmission, ACK for a non-2xx and CANCEL comes from the
 * same previous hop, while a copy replayed from elsewhere must not make us resend responses.
 */
import { SipError, isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { normalizeAddress, type Flow } from '../transport/flow.js';
import type { SendTarget } from '../transport/transport.js';
import { systemClock, type Clock } from '../util/clock.js';
import { isRfc3261Branch, newBranch } from './branch.js';
import { buildCancel } from './build-cancel.js';
import { InviteClientTransaction, type CancelOutcome } from './invite-client-transaction.js';
import { InviteServerState, InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { SendFn } from './send-fn.js';
import { fromTagOf, readMatchFields, serverKey, toTagOf, type MatchFields } from './server-key.js';
import { resolveTimerConfig, type TimerConfig } from './timer-config.js';
import type {
  ClientTransaction,
  ClientTransactionUser,
  ServerTransaction,
  TransactionContext,
} from './transaction-user.js';
import { formatVia, type ViaSpec } from './via-spec.js';

export interface TransactionLayerOptions {
  readonly send: SendFn;
  readonly clock?: Clock;
  /** T1, T2, T4 (defaults 500 ms, 4 s, 5 s) and the values derived from them. */
  readonly timers?: Partial<TimerConfig>;
  /** Default 10 000. */
  readonly maxServerTransactions?: number;
  /** Default 10 000. */
  readonly maxClientTransactions?: number;
  /** ms before an INVITE server transaction sends 100 Trying itself (§17.2.1); false: never. Default 200. */
  readonly tryingDelay?: number | false;
  /** Default true: see the module comment. */
  readonly requireSameSource?: boolean;
  /** Branch generator (default: magic cookie + 96 random bits). */
  readonly newBranch?: () => string;
}

export interface SendRequestOptions {
  readonly target: SendTarget;
  /** Prepend this Via with a fresh branch. Without it the request's own top Via must carry a magic-cookie branch (e.g. a CANCEL, §9.1). */
  readonly via?: ViaSpec;
  readonly user?: ClientTransactionUser;
}

export type ReceiveRequestResult =
  /** A new server transaction: pass the request to the TU. */
  | { readonly kind: 'new'; readonly transaction: ServerTransaction }
  /** A retransmission or an ACK for a non-2xx, handled by its transaction. */
  | { readonly kind: 'absorbed'; readonly transaction: ServerTransaction }
  /** An ACK for a 2xx this layer's INVITE server transaction sent (RFC 6026 Accepted): the TU's. */
  | { readonly kind: 'ack-for-2xx'; readonly transaction: InviteServerTransaction }
  /** An ACK that matches nothing (for a 2xx of a transaction long gone, or junk): the TU decides. */
  | { readonly kind: 'stray-ack' }
  /** Matches a transaction but comes from another address: not a retransmission, not a new request. */
  | { readonly kind: 'source-mismatch'; readonly transaction: ServerTransaction }
  | { readonly kind: 'refused'; readonly reason: 'table-full' }
  | { readonly kind: 'invalid'; readonly error: SipError };

export type ReceiveResponseResult =
  /** `passedUp`: false when the transaction absorbed it (a retransmission). */
  | { readonly kind: 'matched'; readonly transaction: ClientTransaction; readonly passedUp: boolean }
  /**
   * No client transaction. §16.7: "If none is found, the element MUST process the response (even if
   * it is an informational response) as a stateless proxy" (e.g. a 2xx retransmission after Timer M).
   */
  | { readonly kind: 'stray' }
  | { readonly kind: 'invalid'; readonly error: SipError };

export type SendRequestResult =
  | { readonly kind: 'created'; readonly transaction: ClientTransaction }
  /** `ack`: an ACK is never a client transaction (§17.1.1.3 builds the non-2xx one; the TU sends the 2xx one). */
  | { readonly kind: 'refused'; readonly reason: 'table-full' | 'ack' | 'duplicate' }
  | { readonly kind: 'invalid'; readonly error: SipError };

export interface TransactionStats {
  readonly serverTransactions: number;
  readonly clientTransactions: number;
  readonly absorbed: number;
  readonly refused: number;
  readonly strayResponses: number;
  readonly strayAcks: number;
  readonly sourceMismatches: number;
  readonly invalid: number;
}

const DEFAULT_MAX_TRANSACTIONS = 10_000;
const DEFAULT_TRYING_DELAY = 200;

export class TransactionLayer {
  readonly timers: TimerConfig;
  readonly #context: TransactionContext;
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #clients = new Map<string, ClientTransaction>();
  /** INVITE server transactions by Call-ID, From tag and CSeq, to recognise the ACK for their 2xx. */
  readonly #invitesByDialog = new Map<string, InviteServerTransaction>();
  readonly #maxServers: number;
  readonly #maxClients: number;
  readonly #tryingDelay: number | false;
  readonly #requireSameSource: boolean;
  readonly #newBranch: () => string;
  #absorbed = 0;
  #refused = 0;
  #strayResponses = 0;
  #strayAcks = 0;
  #sourceMismatches = 0;
  #invalid = 0;

  constructor(options: TransactionLayerOptions) {
    this.timers = resolveTimerConfig(options.timers);
    this.#context = { clock: options.clock ?? systemClock, send: options.send, timers: this.timers };
    this.#maxServers = limit('maxServerTransactions', options.maxServerTransactions);
    this.#maxClients = limit('maxClientTransactions', options.maxClientTransactions);
    this.#tryingDelay = options.tryingDelay ?? DEFAULT_TRYING_DELAY;
    this.#requireSameSource = options.requireSameSource ?? true;
    this.#newBranch = options.newBranch ?? newBranch;
  }

  /** A request from the transport (§17.2.3 matching; a new server transaction when none matches). */
  receiveRequest(request: SipMessage, flow: Flow): ReceiveRequestResult {
    if (!request.isRequest) return this.#invalidResult('not a request');
    const fields = readMatchFields(request);
    if (isSipError(fields)) return this.#countInvalid(fields);
    if (request.method === 'ACK') return this.#receiveAck(request, fields, flow);

    const key = serverKey(fields, request.method);
    const existing = this.#servers.get(key);
    if (existing !== undefined) {
      if (!this.#sameSource(existing, flow)) return this.#mismatch(existing);
      existing.receiveRequest(request);
      this.#absorbed++;
      return { kind: 'absorbed', transaction: existing };
    }
    if (this.#servers.size >= this.#maxServers) {
      this.#refused++;
      return { kind: 'refused', reason: 'table-full' };
    }
    const transaction = this.#createServer(request, flow, key, fields);
    transaction.start();
    return { kind: 'new', transaction };
  }

  /** A response from the transport (§17.1.3: top Via branch and CSeq method). */
  receiveResponse(response: SipMessage, _flow: Flow): ReceiveResponseResult {
    if (response.isRequest) return this.#invalidResult('not a response');
    const via = response.topVia();
    if (isSipError(via)) return this.#countInvalid(via);
    const cseq = response.cseq();
    if (isSipError(cseq)) return this.#countInvalid(cseq);
    const transaction = via.branch === null ? undefined : this.#clients.get(clientKey(via.branch, cseq.method));
    if (transaction === undefined) {
      this.#strayResponses++;
      return { kind: 'stray' };
    }
    const passedUp = transaction.receiveResponse(response);
    if (!passedUp) this.#absorbed++;
    return { kind: 'matched', transaction, passedUp };
  }

  /**
   * Starts a client transaction for `request` (not ACK). With `options.via` a Via with a fresh branch
   * is prepended to the request (which the transaction then owns: do not mutate it afterwards).
   */
  sendRequest(request: SipMessage, options: SendRequestOptions): SendRequestResult {
    if (!request.isRequest) return this.#invalidResult('not a request');
    const method = request.method;
    if (method === 'ACK') return { kind: 'refused', reason: 'ack' };
    let branch: string;
    if (options.via !== undefined) {
      branch = this.#newBranch();
      request.prependHeader('Via', formatVia(options.via, branch));
    } else {
      const via = request.topVia();
      if (isSipError(via)) return this.#countInvalid(via);
      if (!isRfc3261Branch(via.branch)) return this.#invalidResult('the top Via has no magic-cookie branch');
      branch = via.branch;
    }
    const key = clientKey(branch, method);
    if (this.#clients.has(key)) return { kind: 'refused', reason: 'duplicate' };
    if (this.#clients.size >= this.#maxClients) {
      this.#refused++;
      return { kind: 'refused', reason: 'table-full' };
    }
    const common = { context: this.#context, request, target: options.target, branch, id: key, user: options.user };
    const release = (done: ClientTransaction): void => {
      if (this.#clients.get(key) === done) this.#clients.delete(key);
    };
    const transaction =
      method === 'INVITE'
        ? new InviteClientTransaction({ ...common, release })
        : new NonInviteClientTransaction({ ...common, release });
    this.#clients.set(key, transaction);
    transaction.start();
    return { kind: 'created', transaction };
  }

  /**
   * Cancels a pending INVITE client transaction (§9.1): builds the CANCEL from the INVITE (same
   * branch), and sends it as its own non-INVITE client transaction to the same target, now if a
   * provisional response has arrived, else on the first one. `user` hears of the CANCEL's responses.
   */
  cancel(invite: InviteClientTransaction, user?: ClientTransactionUser): CancelOutcome {
    return invite.requestCancel(() => {
      const cancel = buildCancel(invite.request);
      if (isSipError(cancel)) {
        this.#invalid++;
        return;
      }
      this.sendRequest(cancel, { target: invite.target, user });
    });
  }

  /**
   * The INVITE server transaction a CANCEL is for, §9.2: "The TU determines the transaction to be
   * cancelled by taking the CANCEL request, and then assuming that the request method is anything but
   * CANCEL or ACK and applying the transaction matching procedures of Section 17.2.3." Only INVITE
   * can usefully be cancelled; a CANCEL from another source address matches nothing.
   */
  findCancelTarget(cancel: SipMessage, flow: Flow): InviteServerTransaction | undefined {
    if (!cancel.isRequest || cancel.method !== 'CANCEL') return undefined;
    const fields = readMatchFields(cancel);
    if (isSipError(fields)) return undefined;
    const target = this.#servers.get(serverKey(fields, 'INVITE'));
    if (target?.kind !== 'invite-server' || !this.#sameSource(target, flow)) return undefined;
    return target;
  }

  stats(): TransactionStats {
    return {
      serverTransactions: this.#servers.size,
      clientTransactions: this.#clients.size,
      absorbed: this.#absorbed,
      refused: this.#refused,
      strayResponses: this.#strayResponses,
      strayAcks: this.#strayAcks,
      sourceMismatches: this.#sourceMismatches,
      invalid: this.#invalid,
    };
  }

  /** Terminates every transaction (cancelling all timers), sending nothing. */
  close(): void {
    for (const transaction of [...this.#servers.values(), ...this.#clients.values()]) transaction.terminate();
  }

  #receiveAck(request: SipMessage, fields: MatchFields, flow: Flow): ReceiveRequestResult {
    const matched = this.#matchAck(fields);
    if (matched !== undefined) {
      if (!this.#sameSource(matched, flow)) return this.#mismatch(matched);
      if (matched.receiveRequest(request) === 'ack-for-2xx') return { kind: 'ack-for-2xx', transaction: matched };
      this.#absorbed++;
      return { kind: 'absorbed', transaction: matched };
    }
    const accepted = this.#invitesByDialog.get(dialogKey(fields.callId, fromTagOf(request), fields.cseq));
    if (accepted?.state === InviteServerState.Accepted) return { kind: 'ack-for-2xx', transaction: accepted };
    this.#strayAcks++;
    return { kind: 'stray-ack' };
  }

  /** §17.2.3: the INVITE transaction of an ACK (RFC 2543: also by the To tag of the response sent). */
  #matchAck(fields: MatchFields): InviteServerTransaction | undefined {
    if (fields.rfc3261) {
      const found = this.#servers.get(serverKey(fields, 'INVITE'));
      return found?.kind === 'invite-server' ? found : undefined;
    }
    // The INVITE had the ACK's To tag (a re-INVITE) or none (the UAS added it in its response).
    for (const inviteToTag of fields.toTag === '' ? [''] : [fields.toTag, '']) {
      const found = this.#servers.get(serverKey(fields, 'INVITE', inviteToTag));
      if (found?.kind !== 'invite-server') continue;
      const sent = found.finalResponse;
      if (sent !== undefined && toTagOf(sent) === fields.toTag) return found;
    }
    return undefined;
  }

  #createServer(request: SipMessage, flow: Flow, key: string, fields: MatchFields): ServerTransaction {
    const common = { context: this.#context, request, flow, id: key };
    if (request.method !== 'INVITE') {
      const transaction = new NonInviteServerTransaction({
        ...common,
        release: (done) => {
          if (this.#servers.get(key) === done) this.#servers.delete(key);
        },
      });
      this.#servers.set(key, transaction);
      return transaction;
    }
    const byDialog = dialogKey(fields.callId, fields.rfc3261 ? fromTagOf(request) : fields.fromTag, fields.cseq);
    const transaction = new InviteServerTransaction({
      ...common,
      tryingDelay: this.#tryingDelay,
      release: (done) => {
        if (this.#servers.get(key) === done) this.#servers.delete(key);
        if (this.#invitesByDialog.get(byDialog) === done) this.#invitesByDialog.delete(byDialog);
      },
    });
    this.#servers.set(key, transaction);
    this.#invitesByDialog.set(byDialog, transaction);
    return transaction;
  }

  #sameSource(transaction: ServerTransaction, flow: Flow): boolean {
    if (!this.#requireSameSource) return true;
    return normalizeAddress(transaction.flow.remote.address) === normalizeAddress(flow.remote.address);
  }

  #mismatch(transaction: ServerTransaction): ReceiveRequestResult {
    this.#sourceMismatches++;
    return { kind: 'source-mismatch', transaction };
  }

  #countInvalid(error: SipError): { kind: 'invalid'; error: SipError } {
    this.#invalid++;
    return { kind: 'invalid', error };
  }

  #invalidResult(message: string): { kind: 'invalid'; error: SipError } {
    return this.#countInvalid(new SipError('SIP_BAD_START_LINE', message, 0));
  }
}

function clientKey(branch: string, method: string): string {
  return `${branch}\u0000${method}`;
}

function dialogKey(callId: string, fromTag: string, cseq: number): string {
  return `${callId.length}:${callId}${fromTag.length}:${fromTag}${cseq}`;
}

function limit(name: string, value: number | undefined): number {
  const resolved = value ?? DEFAULT_MAX_TRANSACTIONS;
  if (!Number.isInteger(resolved) || resolved < 1) throw new RangeError(`${name} must be a positive integer`);
  return resolved;
}
