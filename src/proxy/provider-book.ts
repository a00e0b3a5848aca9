/**
 * The proxy's view of "the provider" (DESIGN §2, inbound decision step 3): which source addresses are
 * the provider's, and where requests for the provider go. A tiny seam that `ProviderAddresses`
 * (`provider/`: RFC 3263 NAPTR/SRV/A/AAAA refreshed by TTL, configured blocks, learned addresses)
 * fills as it is; tests may pass anything that answers these questions.
 */
import type { TransportName } from '../config/config.js';

/** One place to send a request for the provider to. */
export interface ProviderTarget {
  readonly transport: TransportName;
  readonly address: string;
  readonly port: number;
}

export interface ProviderAddressBook {
  /** Is this source address one of the provider's? (The hot path: no DNS.) */
  has(address: string): boolean;
  /** A REGISTER response really came from `address`: trust it for a while. */
  learn(address: string, why: { readonly reason: string }): unknown;
  /** Where to send REGISTER (and every request a phone sends out of a dialog), best first. */
  targets(): readonly ProviderTarget[];
  /** One line per trusted address or block, for the start-up log. */
  describe(): string[];
  /**
   * Every address and block `has` answers true for, as IP literals and CIDR strings: for the WAN
   * reader processes (`wan-readers/`), which hand the provider's datagrams to the guard. Without
   * it, the guard reads its WAN sockets itself.
   */
  trustedEntries?(): string[];
  start?(): Promise<void>;
  stop?(): void;
}
