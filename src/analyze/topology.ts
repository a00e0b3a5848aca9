/**
 * What the analyzer knows about who is who in a capture: the provider's addresses, the phones (the side
 * a guard would protect), the registered accounts, and the evidence for each, in words people can check.
 */
export type ProviderOrigin = 'option' | 'inferred' | 'none';

export interface Topology {
  isProvider(address: string): boolean;
  /** Whether an address is a known phone (it registered with the provider, or placed calls through it). */
  isPhone(address: string): boolean;
  readonly provider: {
    readonly origin: ProviderOrigin;
    /** Addresses, CIDRs or domains as shown to people. */
    readonly names: readonly string[];
    /** The provider's name in explanations: the domain phones register to, else the first name. */
    readonly domain: string;
    /** One line per finding, e.g. "10.77.0.10: 3 REGISTERs answered 200 from there (from 1 phone)". */
    readonly evidence: readonly string[];
  };
  readonly phones: readonly string[];
  readonly phoneEvidence: readonly string[];
  /** Users of registered accounts (AOR and Contact users): the guard's rewrite fallback finds calls by them. */
  readonly accounts: ReadonlySet<string>;
}
