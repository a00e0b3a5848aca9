/**
 * What the guard starts and stops, beside its own ban table, from `defense.nftables` and
 * `defense.blocklists`: the kernel offload of the bans (nftables) and the blocklists it follows. One
 * object, so the guard's wiring is two lines (start after the WAN ports are bound, stop before the
 * store closes). Neither can stop the guard from running: failures are logged, and the guard carries
 * on enforcing its bans in user space.
 */
import type { TransportName } from '../../config/config.js';
import type { Logger } from '../../transport/logger.js';
import { silentLogger } from '../../transport/logger.js';
import type { Clock } from '../../util/clock.js';
import type { BanControl } from '../bans/ban-control.js';
import { BlocklistScheduler, type BlocklistFeed, type BlocklistStatus } from '../blocklist/blocklist-scheduler.js';
import { spawnNftRunner, type NftRunner } from './nft-runner.js';
import type { OffloadPorts } from './nft-script.js';
import { NftablesOffload, type OffloadStats } from './nftables-offload.js';

export interface KernelAndListsOptions {
  readonly nftables: boolean;
  readonly blocklists: readonly BlocklistFeed[];
  readonly bans: BanControl;
  /** Would-be bans of a dry run, which are never offloaded. */
  readonly isDryRun?: (address: string) => boolean;
  readonly ports: OffloadPorts;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Default: `nft -f -`. */
  readonly runner?: NftRunner;
}

export interface KernelAndListsStatus {
  readonly nftables: OffloadStats | null;
  readonly blocklists: readonly BlocklistStatus[];
}

/** The guard's WAN ports per protocol: UDP and TCP on the WAN port, TLS on its own port. */
export function wanOffloadPorts(transports: readonly TransportName[], wanPort: number, tlsPort: number | null): OffloadPorts {
  const tcp: number[] = [];
  if (transports.includes('tcp')) tcp.push(wanPort);
  if (transports.includes('tls') && tlsPort !== null) tcp.push(tlsPort);
  return { udp: transports.includes('udp') ? [wanPort] : [], tcp };
}

export class KernelAndLists {
  private readonly offload: NftablesOffload | null;
  private readonly lists: BlocklistScheduler | null;
  private readonly logger: Logger;

  constructor(options: KernelAndListsOptions) {
    this.logger = options.logger ?? silentLogger;
    this.offload = options.nftables
      ? new NftablesOffload({
          bans: options.bans,
          ports: options.ports,
          runner: options.runner ?? spawnNftRunner(),
          clock: options.clock,
          logger: this.logger,
          ...(options.isDryRun !== undefined ? { isDryRun: options.isDryRun } : {}),
        })
      : null;
    this.lists =
      options.blocklists.length > 0
        ? new BlocklistScheduler({ bans: options.bans, feeds: options.blocklists, clock: options.clock, logger: this.logger })
        : null;
  }

  /**
   * Starts the offload (resolves once the table is built, or the reason it cannot be is logged), then
   * the blocklists in the background (a slow download must not hold up the guard's start).
   */
  async start(): Promise<void> {
    if (this.offload !== null) await this.offload.start();
    if (this.lists !== null) {
      this.lists.start().catch((error: unknown) => this.logger.error(`blocklists: ${(error as Error).message}`));
    }
  }

  /** Stops the refreshes and deletes the nftables table. */
  async stop(): Promise<void> {
    this.lists?.stop();
    await this.offload?.stop();
  }

  status(): KernelAndListsStatus {
    return { nftables: this.offload?.stats() ?? null, blocklists: this.lists?.status() ?? [] };
  }
}
