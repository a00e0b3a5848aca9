/**
 * Registration bindings (DESIGN §2): which phone an alias token stands for. Stored so that a restarted
 * guard delivers the next call without the phone registering again.
 *
 * Reads are synchronous and served from memory: a networked backend (Redis, DESIGN §6) must keep a
 * local replica and sync asynchronously, so the hot path never waits on the network.
 */
import type { FlowRecord } from './flow-record.js';

export interface Binding {
  /** Random alias token (≥ 96 bits), the user part of the Contact the provider sees. */
  readonly token: string;
  /** Address of record, e.g. "sip:alice@voip.example.test". */
  readonly aor: string;
  /** The phone's own Contact, restored towards the phone. */
  readonly phoneContact: string;
  /** The LAN flow the phone registered over. */
  readonly flow: FlowRecord;
  /** Account name when several accounts share a guard. */
  readonly account?: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
  /** Call-ID and CSeq of the phone's REGISTER, for refreshes. */
  readonly callId: string;
  readonly cseq: number;
  readonly createdAt: number;
  readonly lastCallAt?: number;
}

export interface BindingStore {
  /** Inserts or replaces the binding with this token. */
  put(binding: Binding): void;
  getByToken(token: string): Binding | undefined;
  listByAor(aor: string): Binding[];
  /** True when a binding was removed. */
  remove(token: string): boolean;
  all(): Binding[];
  size(): number;
  /** Removes bindings whose expiresAt ≤ now; returns them. */
  purgeExpired(now?: number): Binding[];
}
