/**
 * The kernel offload (`defense.nftables: true`): the guard's bans, mirrored into an nftables set, so the
 * kernel drops a banned scanner's packets before the guard ever sees them (DESIGN §2, Defense).
 *
 * - `start()` builds `table inet ghostguard` afresh (replacing one a crash left behind) with the bans
 *   already in force, then follows {@link BanControl}: every change goes into an {@link ElementModel},
 *   and the differences go to the kernel in batches — one `nft -f -` every `flushIntervalMs` (100 ms)
 *   or at once when `maxBatch` changes wait; never one process per ban, one at a time.
 * - Dry-run bans are not offloaded.
 * - When nft is missing or not allowed (not root), `start()` logs why and returns false: the guard runs
 *   on without the offload. A batch that fails later is logged, and the table is rebuilt from the model
 *   after a backoff (1 s, doubling up to 60 s).
 * - `stop()` deletes the table.
 */
import type { Logger } from '../../transport/logger.js';
import { silentLogger } from '../../transport/logger.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { BanChange, BanControl } from '../bans/ban-control.js';
import { ElementModel, type ElementPlan } from './element-model.js';
import type { NftResult, NftRunner } from './nft-runner.js';
import { checkPorts, createTableScript, deleteTableScript, elementsScript, type OffloadPorts } from './nft-script.js';

export interface NftablesOffloadOptions {
  readonly bans: BanControl;
  readonly ports: OffloadPorts;
  readonly runner: NftRunner;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Tells would-be bans (dry run) in `bans.list()` from real ones; default: none is. */
  readonly isDryRun?: (address: string) => boolean;
  /** Default 100 ms. */
  readonly flushIntervalMs?: number;
  /** Changes that trigger a batch at once; default 1000. */
  readonly maxBatch?: number;
}

export type OffloadState = 'stopped' | 'starting' | 'active' | 'failed';

export interface OffloadStats {
  readonly state: OffloadState;
  /** Bans the model holds (offloaded or covered by a wider block). */
  readonly bans: number;
  /** Changes waiting for the next batch. */
  readonly pending: number;
  /** Scripts nft accepted. */
  readonly batches: number;
  readonly failures: number;
  readonly lastError: string | null;
}

const MAX_BACKOFF_MS = 60_000;

export class NftablesOffload {
  private readonly model = new ElementModel();
  private readonly logger: Logger;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private state: OffloadState = 'stopped';
  private unsubscribe: (() => void) | null = null;
  private timer: TimerHandle | null = null;
  private inFlight: Promise<void> | null = null;
  private needsRebuild = false;
  /** The table was created (so stop() deletes it, even after a later failure). */
  private created = false;
  private backoffMs = 1000;
  private counters = { batches: 0, failures: 0 };
  private lastError: string | null = null;

  constructor(private readonly options: NftablesOffloadOptions) {
    this.logger = options.logger ?? silentLogger;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBatch = options.maxBatch ?? 1000;
  }

  /** Creates the table with the bans in force; false (and a logged reason) when the offload cannot run. */
  async start(): Promise<boolean> {
    if (this.state !== 'stopped') return this.state === 'active';
    const bad = checkPorts(this.options.ports);
    if (bad !== null) return this.fail(bad);
    this.state = 'starting';
    this.unsubscribe = this.options.bans.subscribe((change) => this.onChange(change));
    const isDryRun = this.options.isDryRun ?? (() => false);
    for (const ban of this.options.bans.list()) if (!isDryRun(ban.address)) this.take(ban.address, ban.expiresAt);
    const plan = this.model.full(this.options.clock.now());
    const result = await this.options.runner.run(createTableScript(this.options.ports, plan.adds));
    if (this.state !== 'starting') {
      // stop() came while nft ran: leave nothing behind.
      if (result.ok) await this.options.runner.run(deleteTableScript());
      return false;
    }
    if (!result.ok) return this.fail(result.message);
    this.model.commit(plan);
    this.counters.batches++;
    this.created = true;
    this.state = 'active';
    this.logger.info('nftables offload active: table inet ghostguard', { bans: this.model.size, ports: this.options.ports });
    if (this.model.pending > 0) this.schedule();
    return true;
  }

  /** Deletes the table (when it was created) and stops following the bans. */
  async stop(): Promise<void> {
    const created = this.created;
    this.created = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.timer?.cancel();
    this.timer = null;
    this.state = 'stopped';
    if (this.inFlight !== null) await this.inFlight;
    if (!created) return;
    const result = await this.options.runner.run(deleteTableScript());
    if (result.ok) this.logger.info('nftables offload stopped: table inet ghostguard deleted');
    else this.logger.error(`nftables offload: could not delete table inet ghostguard: ${result.message}`);
    this.model.clearInstalled();
  }

  /** Sends the waiting changes now; resolves when the kernel has them (or the batch failed). */
  flush(): Promise<void> {
    if (this.inFlight === null) {
      this.inFlight = this.drain().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  stats(): OffloadStats {
    return { state: this.state, bans: this.model.size, pending: this.model.pending, ...this.counters, lastError: this.lastError };
  }

  private onChange(change: BanChange): void {
    if (change.kind === 'added') {
      if (change.dryRun) return;
      this.take(change.ban.address, change.ban.expiresAt);
    } else {
      this.model.delete(change.ban.address);
    }
    if (this.state !== 'active' || this.needsRebuild) return;
    if (this.model.pending >= this.maxBatch) void this.flush();
    else this.schedule();
  }

  private take(address: string, expiresAt: number | null): void {
    const result = this.model.set(address, expiresAt);
    if ('error' in result) this.logger.warn(`nftables offload: ignoring ban of "${address.slice(0, 64)}": ${result.error}`);
  }

  private schedule(delayMs = this.flushIntervalMs): void {
    if (this.timer !== null) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
  }

  /** Sends batches until nothing waits (changes that arrive during a send go in the next one). */
  private async drain(): Promise<void> {
    while (this.state === 'active' && (this.model.pending > 0 || this.needsRebuild)) {
      const now = this.options.clock.now();
      const rebuild = this.needsRebuild;
      const plan = rebuild ? this.model.full(now) : this.model.plan(now);
      if (!rebuild && plan.adds.length === 0 && plan.deletes.length === 0) {
        this.model.commit(plan);
        continue;
      }
      const result = rebuild ? await this.options.runner.run(createTableScript(this.options.ports, plan.adds)) : await this.send(plan);
      if (this.state !== 'active') return;
      if (result.ok) {
        this.model.commit(plan);
        this.counters.batches++;
        this.needsRebuild = false;
        this.backoffMs = 1000;
        continue;
      }
      this.counters.failures++;
      this.lastError = result.message;
      if (result.fatal) {
        this.logger.error(`nftables offload stopped: ${result.message}`);
        this.state = 'failed';
        return;
      }
      this.logger.error(`nftables offload: a batch failed (${result.message}); rebuilding the table in ${this.backoffMs} ms`);
      this.needsRebuild = true;
      this.timer?.cancel();
      this.timer = null;
      this.schedule(this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
      return;
    }
  }

  /**
   * One batch; two when an element that may have timed out is deleted while others are added (its
   * idempotent delete must not share a transaction with an overlapping add; see nft-script.ts).
   */
  private async send(plan: ElementPlan): Promise<NftResult> {
    const unsure = plan.deletes.filter((d) => !d.present);
    if (unsure.length === 0 || plan.adds.length === 0) return this.options.runner.run(elementsScript(plan.adds, plan.deletes));
    const first = await this.options.runner.run(elementsScript([], unsure));
    if (!first.ok) return first;
    this.counters.batches++;
    return this.options.runner.run(elementsScript(plan.adds, plan.deletes.filter((d) => d.present)));
  }

  private fail(message: string): false {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.state = 'failed';
    this.counters.failures++;
    this.lastError = message;
    this.logger.error(`nftables offload disabled, the guard runs on without it: ${message}`);
    return false;
  }
}
