/**
 * The provider's addresses, live: the set DESIGN §2 step 3 checks every WAN request's source against.
 *
 * It is the union of
 * (a) configured addresses and blocks (`provider.trusted`; an IP-literal registrar is a lookup that
 *     needs no DNS, so it is there from the start),
 * (b) every address RFC 3263 resolution of the provider's names found (NAPTR → SRV → A/AAAA, every
 *     record of every transport), refreshed by TTL in the background ({@link ProviderLookup}),
 * (c) addresses REGISTER responses really came from ({@link LearnedAddresses}), while they keep
 *     answering.
 *
 * `has()` is the hot path: a Set lookup (rebuilt only when a lookup's answer changes), a Map lookup and
 * the compiled {@link AddressSet}; never DNS. An IPv4-mapped IPv6 address (`::ffff:203.0.113.10`)
 * matches its IPv4 form.
 */
import { isIPv4 } from 'node:net';
import type { AddressSet } from '../../config/address-set.js';
import type { TransportName } from '../../config/config.js';
import { formatIp, parseIp, unmapIp } from '../../config/ip-address.js';
import { silentLogger, type Logger } from '../../transport/logger.js';
import type { Clock } from '../../util/clock.js';
import type { DnsResolver } from './dns-resolver.js';
import { LearnedAddresses, type LearnedAddress, type LearnedAddressesOptions } from './learned-addresses.js';
import { ProviderLookup, type LookupError, type ProviderLookupHealth } from './provider-lookup.js';
import type { FoundAddress, ProviderTarget } from './provider-targets.js';
import { refreshTiming, type RefreshTiming } from './refresh-timing.js';
import type { RandomSource } from './srv-order.js';

export interface ProviderName {
  /** A domain name (RFC 3263 lookup) or an IP literal (no lookup). */
  readonly host: string;
  /** An explicit port: A/AAAA only. Null or absent: NAPTR/SRV first. */
  readonly port?: number | null;
  /** Where it came from, for describe() (e.g. "provider.registrar"). */
  readonly label?: string;
}

export interface ProviderAddressesOptions {
  /** The names to resolve; the first one with targets is where REGISTER goes. */
  readonly names: readonly ProviderName[];
  /** Configured addresses and blocks (`provider.trusted`). */
  readonly trusted?: AddressSet;
  /** The transports REGISTER may be sent on (`wan.transports`). */
  readonly transports: readonly TransportName[];
  readonly resolver: DnsResolver;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly timing?: Partial<RefreshTiming>;
  /** TTL assumed for NAPTR/SRV answers (node:dns reports none). Default 300 s. */
  readonly recordTtlSeconds?: number;
  readonly learned?: LearnedAddressesOptions;
  readonly random?: RandomSource;
}

export interface ProviderAddressesHealth {
  /** The latest answer of any lookup (ms since the epoch); null before the first. */
  readonly lastRefresh: number | null;
  /** The most recent failure among lookups that have not recovered since; null when all are well. */
  readonly lastError: LookupError | null;
  /** Everything trusted now: configured blocks, DNS answers, learned addresses. */
  readonly addresses: string[];
  /** The soonest refresh due; null when stopped or nothing needs refreshing. */
  readonly nextRefresh: number | null;
  readonly lookups: readonly ProviderLookupHealth[];
  readonly learned: readonly LearnedAddress[];
}

export class ProviderAddresses {
  private readonly lookups: readonly ProviderLookup[];
  private readonly trusted: AddressSet | null;
  private readonly learnedSet: LearnedAddresses;
  private readonly logger: Logger;
  private readonly labels: Map<ProviderLookup, string>;
  /** Canonical addresses from every lookup; replaced (never mutated) when an answer changes. */
  private dns: ReadonlySet<string> = new Set();

  constructor(options: ProviderAddressesOptions) {
    const timing = refreshTiming(options.timing);
    this.logger = options.logger ?? silentLogger;
    this.trusted = options.trusted !== undefined && options.trusted.size > 0 ? options.trusted : null;
    this.learnedSet = new LearnedAddresses(options.clock, options.learned);
    const lookups: ProviderLookup[] = [];
    this.labels = new Map();
    for (const name of options.names) {
      const port = name.port ?? null;
      if (lookups.some((l) => l.host === name.host && l.port === port)) continue;
      const lookup = new ProviderLookup({
        host: name.host,
        port,
        transports: options.transports,
        resolver: options.resolver,
        clock: options.clock,
        logger: this.logger,
        timing,
        ...(options.recordTtlSeconds !== undefined ? { recordTtlSeconds: options.recordTtlSeconds } : {}),
        ...(options.random !== undefined ? { random: options.random } : {}),
        onChange: () => this.rebuild(),
      });
      lookups.push(lookup);
      if (name.label !== undefined) this.labels.set(lookup, name.label);
    }
    this.lookups = lookups;
    this.rebuild();
  }

  /** Resolves every name; the promise settles once each has answered or failed. Never rejects. */
  async start(): Promise<void> {
    await Promise.all(this.lookups.map((l) => l.start()));
  }

  /** Cancels every timer; answers still in flight are ignored. */
  stop(): void {
    for (const lookup of this.lookups) lookup.stop();
  }

  /** Looks every name up again now. Never rejects. */
  async refresh(): Promise<void> {
    await Promise.all(this.lookups.map((l) => l.refresh()));
  }

  /** Is `address` (an IP literal, possibly IPv4-mapped or with a zone) one of the provider's? */
  has(address: string): boolean {
    if (this.dns.has(address)) return true;
    // A dotted IPv4 address as the kernel writes it is already canonical: no parsing (a flood's
    // every datagram asks), unless configured blocks need the parsed address.
    if (this.trusted === null && isIPv4(address)) return this.learnedSet.has(address);
    const ip = parseIp(address, true);
    if (ip === null) return false;
    const plain = unmapIp(ip);
    const key = formatIp(plain);
    if (key !== address && this.dns.has(key)) return true;
    if (this.learnedSet.has(key)) return true;
    return this.trusted !== null && this.trusted.hasIp(plain);
  }

  /**
   * Trusts `address` for a while because a REGISTER response really came from it (matched to a
   * REGISTER the guard sent). Re-learning renews it. Returns false when the address is not an IP.
   */
  learn(address: string, { reason }: { readonly reason: string }): boolean {
    const ip = parseIp(address, true);
    if (ip === null) return false;
    const plain = unmapIp(ip);
    const key = formatIp(plain);
    const isNew = this.learnedSet.learn(key, reason);
    if (isNew && !this.dns.has(key) && !(this.trusted?.hasIp(plain) ?? false)) {
      this.logger.info(`Trusting provider address ${key}: ${reason} (no DNS record names it)`, { address: key });
    }
    return true;
  }

  /** Where to send REGISTER, best first: the targets of the first name that has any. */
  targets(): readonly ProviderTarget[] {
    for (const lookup of this.lookups) if (lookup.targets.length > 0) return lookup.targets;
    return [];
  }

  /** Every address and block `has` answers true for (DNS answers, learned addresses, `provider.trusted`). */
  trustedEntries(): string[] {
    return [...this.dns, ...this.learnedSet.list().map((l) => l.address), ...(this.trusted?.toStrings() ?? [])];
  }

  /** One line per trusted address or block, for the start-up log. */
  describe(): string[] {
    const lines: string[] = [];
    const shown = new Set<string>();
    for (const lookup of this.lookups) {
      for (const found of lookup.addresses) {
        if (shown.has(found.address)) continue;
        shown.add(found.address);
        lines.push(`${found.address} (${describeFound(found, this.labels.get(lookup))})`);
      }
    }
    for (const block of this.trusted?.toStrings() ?? []) {
      if (!shown.has(block)) lines.push(`${block} (configured)`);
      shown.add(block);
    }
    for (const learned of this.learnedSet.list()) {
      if (!shown.has(learned.address)) lines.push(`${learned.address} (learned: ${learned.reason})`);
    }
    return lines;
  }

  health(): ProviderAddressesHealth {
    const lookups = this.lookups.map((l) => l.health());
    const latest = (values: (number | null)[], pick: (a: number, b: number) => number): number | null =>
      values.reduce<number | null>((best, v) => (v === null ? best : best === null ? v : pick(best, v)), null);
    const errors = lookups.map((l) => l.lastError).filter((e): e is LookupError => e !== null);
    const learned = this.learnedSet.list();
    const addresses = [
      ...new Set([...this.dns, ...(this.trusted?.toStrings() ?? []), ...learned.map((l) => l.address)]),
    ];
    return {
      lastRefresh: latest(lookups.map((l) => l.lastRefresh), Math.max),
      lastError: errors.reduce<LookupError | null>((last, e) => (last === null || e.at > last.at ? e : last), null),
      addresses,
      nextRefresh: latest(lookups.map((l) => l.nextRefresh), Math.min),
      lookups,
      learned,
    };
  }

  private rebuild(): void {
    this.dns = new Set(this.lookups.flatMap((l) => l.addresses.map((a) => a.address)));
  }
}

function describeFound(found: FoundAddress, label: string | undefined): string {
  if (found.how === 'literal') return label ?? 'configured';
  return `${found.how} ${found.name}, ttl ${found.ttl ?? 0} s`;
}
