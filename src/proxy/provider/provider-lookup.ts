/**
 * One name the provider is known by (the SIP domain, or the registrar's host), resolved by RFC 3263
 * and kept fresh: looked up again when its TTL runs out, in the background, off the hot path.
 *
 * A refresh that answers replaces the addresses (a record that is gone is no longer trusted). A refresh
 * that fails keeps the last good set and is retried sooner; one that answers only in part (some query
 * timed out) adds what it found to the last good set, since the missing records may still exist.
 * An IP literal is known at once, without DNS, and never refreshed.
 */
import type { TransportName } from '../../config/config.js';
import type { Logger } from '../../transport/logger.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { DnsResolver } from './dns-resolver.js';
import type { FoundAddress, ProviderTarget, ProviderTargets } from './provider-targets.js';
import { refreshDelayMs, retryDelayMs, type RefreshTiming } from './refresh-timing.js';
import { resolveLiteral, resolveProvider } from './resolve-provider.js';
import type { RandomSource } from './srv-order.js';

export interface ProviderLookupOptions {
  /** A domain name or an IP literal. */
  readonly host: string;
  /** An explicit port: A/AAAA only (RFC 3263 §4.2). */
  readonly port: number | null;
  readonly transports: readonly TransportName[];
  readonly resolver: DnsResolver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timing: RefreshTiming;
  readonly recordTtlSeconds?: number;
  readonly random?: RandomSource;
  /** Called after the address set changed. */
  readonly onChange: () => void;
}

export interface LookupError {
  /** ms since the epoch. */
  readonly at: number;
  readonly message: string;
}

export interface ProviderLookupHealth {
  readonly host: string;
  /** When a lookup last answered (ms since the epoch); null before the first answer. */
  readonly lastRefresh: number | null;
  /** The last failure, cleared by a complete answer. */
  readonly lastError: LookupError | null;
  /** When the next lookup is due; null when stopped or nothing can change (an IP literal). */
  readonly nextRefresh: number | null;
  readonly addresses: readonly FoundAddress[];
  readonly targets: readonly ProviderTarget[];
}

export class ProviderLookup {
  readonly host: string;
  readonly port: number | null;
  private addressList: readonly FoundAddress[] = [];
  private targetList: readonly ProviderTarget[] = [];
  private lastRefresh: number | null = null;
  private lastError: LookupError | null = null;
  private nextRefresh: number | null = null;
  private failures = 0;
  private running = false;
  /** Bumped by stop(): an answer that arrives for an older generation is ignored. */
  private generation = 0;
  private timer: TimerHandle | null = null;
  private inFlight: Promise<void> | null = null;
  /** Ends the lookup under way at once (stop()). */
  private abortPending: (() => void) | null = null;
  private readonly literal: boolean;

  constructor(private readonly options: ProviderLookupOptions) {
    this.host = options.host;
    this.port = options.port;
    const literal = resolveLiteral(options.host, options.port, options.transports);
    this.literal = literal !== null;
    if (literal !== null) {
      this.addressList = literal.addresses;
      this.targetList = literal.targets;
      this.lastRefresh = options.clock.now();
    }
  }

  get addresses(): readonly FoundAddress[] {
    return this.addressList;
  }

  get targets(): readonly ProviderTarget[] {
    return this.targetList;
  }

  /** Starts refreshing; resolves once the first lookup has answered or failed. Never rejects. */
  start(): Promise<void> {
    if (this.running) return this.inFlight ?? Promise.resolve();
    this.running = true;
    return this.literal ? Promise.resolve() : this.refresh();
  }

  /** Cancels the timer; an answer still in flight is ignored. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.timer?.cancel();
    this.timer = null;
    this.nextRefresh = null;
    this.inFlight = null;
    this.abortPending?.();
  }

  /** Looks up now (joining a lookup already under way). Never rejects. */
  refresh(): Promise<void> {
    if (this.literal) return Promise.resolve();
    if (this.inFlight !== null) return this.inFlight;
    const generation = this.generation;
    this.timer?.cancel();
    this.timer = null;
    const pending = this.resolveWithTimeout().then((result) => {
      if (generation !== this.generation) return;
      this.inFlight = null;
      this.apply(result);
    });
    this.inFlight = pending;
    return pending;
  }

  health(): ProviderLookupHealth {
    return {
      host: this.host,
      lastRefresh: this.lastRefresh,
      lastError: this.lastError,
      nextRefresh: this.nextRefresh,
      addresses: this.addressList,
      targets: this.targetList,
    };
  }

  /** The answer, or a failure after `timeoutSeconds`, or "stopped" as soon as stop() is called. */
  private resolveWithTimeout(): Promise<ProviderTargets> {
    const { host, port, transports, resolver, clock, timing, recordTtlSeconds, random } = this.options;
    const options = {
      transports,
      resolver,
      port,
      ...(recordTtlSeconds !== undefined ? { recordTtlSeconds } : {}),
      ...(random !== undefined ? { random } : {}),
    };
    const failed = (error: string): ProviderTargets => ({ ok: false, domain: host, error, queries: [], problems: [] });
    return new Promise<ProviderTargets>((resolve) => {
      let done = false;
      const finish = (result: ProviderTargets): void => {
        if (done) return;
        done = true;
        timeout.cancel();
        if (this.abortPending === abort) this.abortPending = null;
        resolve(result);
      };
      const abort = (): void => finish(failed('stopped'));
      const timeout: TimerHandle = clock.setTimeout(
        () => finish(failed(`looking up ${host} took longer than ${timing.timeoutSeconds} s`)),
        timing.timeoutSeconds * 1000,
      );
      this.abortPending = abort;
      resolveProvider(host, options).then(finish, (error: unknown) => {
        finish(failed(`looking up ${host} failed: ${String(error)}`));
      });
    });
  }

  private apply(result: ProviderTargets): void {
    const { clock, logger, timing } = this.options;
    const now = clock.now();
    const before = this.addressList;
    if (!result.ok) {
      this.failures++;
      this.fail(now, result.error, before);
      this.schedule(retryDelayMs(timing, this.failures));
      return;
    }
    const transient = result.problems.filter((p) => p.transient);
    this.lastRefresh = now;
    if (transient.length > 0) {
      // Part of the answer is missing: keep what we knew besides what we found.
      this.failures++;
      this.addressList = mergeAddresses(result.addresses, before);
      this.targetList = result.targets.length > 0 ? result.targets : this.targetList;
      this.fail(now, transient.map((p) => p.message).join('; '), before);
      this.schedule(retryDelayMs(timing, this.failures));
    } else {
      this.failures = 0;
      this.addressList = result.addresses;
      this.targetList = result.targets;
      // Problems that are not DNS failures (the provider offers none of our transports): say so once.
      const note = result.problems.map((p) => p.message).join('; ');
      if (note !== '' && this.lastError?.message !== note) logger.warn(`Provider lookup of ${this.host}: ${note}`);
      this.lastError = note !== '' ? { at: now, message: note } : null;
      if (result.ttl !== null) this.schedule(refreshDelayMs(timing, result.ttl));
    }
    this.report(before);
  }

  private fail(now: number, message: string, kept: readonly FoundAddress[]): void {
    const { logger } = this.options;
    const still = kept.length > 0 ? `still trusting ${kept.map((a) => a.address).join(', ')}` : 'no addresses known yet';
    const line = `Could not look up the provider addresses of ${this.host}: ${message}; ${still}`;
    if (this.lastError?.message === message) logger.debug(line);
    else logger.warn(line, { host: this.host, failures: this.failures });
    this.lastError = { at: now, message };
  }

  private report(before: readonly FoundAddress[]): void {
    const old = new Set(before.map((a) => a.address));
    const now = new Set(this.addressList.map((a) => a.address));
    const added = [...now].filter((a) => !old.has(a));
    const removed = [...old].filter((a) => !now.has(a));
    if (added.length === 0 && removed.length === 0) return;
    const parts: string[] = [];
    if (added.length > 0) parts.push(`now trusting ${added.join(', ')}`);
    if (removed.length > 0) parts.push(`no longer trusting ${removed.join(', ')}`);
    this.options.logger.info(`Provider addresses of ${this.host}: ${parts.join('; ')}`, { host: this.host });
    this.options.onChange();
  }

  private schedule(delayMs: number): void {
    this.timer?.cancel();
    this.timer = null;
    this.nextRefresh = null;
    if (!this.running) return;
    const { clock } = this.options;
    this.nextRefresh = clock.now() + delayMs;
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, delayMs);
  }
}

/** The fresh answer first (its TTLs and names), then the old addresses it did not mention. */
function mergeAddresses(fresh: readonly FoundAddress[], old: readonly FoundAddress[]): FoundAddress[] {
  const seen = new Set(fresh.map((a) => a.address));
  return [...fresh, ...old.filter((a) => !seen.has(a.address))];
}
