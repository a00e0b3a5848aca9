/**
 * What the relays share: the seams they act through. The `Guard` builds one and hands it to the
 * registration relay and the call relay; tests can build one by hand.
 */
import type { SipMessage } from '../sip/message.js';
import type { BindingStore } from '../store/binding-store.js';
import type { FlowRecord } from '../store/flow-record.js';
import type { TransactionLayer } from '../transaction/transaction-layer.js';
import { makeFlow, type Flow, type TransportKind } from '../transport/flow.js';
import type { Logger } from '../transport/logger.js';
import type { Clock } from '../util/clock.js';
import type { GuardAddresses, HostAndPort } from './guard-addresses.js';
import type { LegTransports } from './leg-transports.js';
import type { ProviderAddressBook, ProviderTarget } from './provider-book.js';

export interface ProxyContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly transactions: TransactionLayer;
  readonly addresses: GuardAddresses;
  readonly providers: ProviderAddressBook;
  readonly bindings: BindingStore;
  readonly transports: LegTransports;
  /** The prefix of the branch of every Via this guard adds (loop detection, `forwarding.ts`). */
  readonly branchPrefix: string;
  /** Where requests for the provider go now; undefined while it is not known (DNS not answered yet). */
  providerTarget(): ProviderTarget | undefined;
  /** Sends outside any transaction (an ACK for a 2xx, a stray 2xx). Never throws. */
  sendStateless(message: SipMessage, flow: Flow): void;
  /** The public address was learned anew (RFC 3581): keep it across restarts. */
  publicAddressLearned(at: HostAndPort): void;
}

/** A flow as the store keeps it. */
export function flowRecord(flow: Flow): FlowRecord {
  return {
    transport: flow.transport,
    localAddress: flow.local.address,
    localPort: flow.local.port,
    remoteAddress: flow.remote.address,
    remotePort: flow.remote.port,
  };
}

/** A stored flow back as a Flow to send on. */
export function flowOfRecord(record: FlowRecord): Flow {
  return makeFlow(
    record.transport as TransportKind,
    { address: record.localAddress, port: record.localPort },
    { address: record.remoteAddress, port: record.remotePort },
  );
}
