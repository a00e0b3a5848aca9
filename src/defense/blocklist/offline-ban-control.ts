/**
 * A {@link BanControl} over the store alone, for `ghostguard blocklist import` while the guard is not
 * running (the guard loads the store's bans at its next start). It refuses what the running guard
 * refuses that the configuration knows of: the provider's configured addresses and the LAN (blocks that
 * overlap them), and blocks too wide to be a scanner (shorter than /8 for IPv4, /16 for IPv6). Adds are
 * kept until `commit()` writes them in one transaction.
 */
import { cidrContains, formatCidr, parseCidr, type Cidr } from '../../config/cidr.js';
import type { Ban, BanStore } from '../../store/ban-store.js';
import type { BanChange, BanControl, BanOutcome, BanRefusal, BanRequest } from '../bans/ban-control.js';

export interface ProtectedBlocks {
  readonly refusal: Exclude<BanRefusal, 'invalid'>;
  /** E.g. "provider.trusted". */
  readonly label: string;
  readonly cidrs: readonly Cidr[];
}

const MIN_PREFIX = { 4: 8, 6: 16 } as const;

export class OfflineBanControl implements BanControl {
  private readonly pending = new Map<string, Ban>();

  constructor(
    private readonly store: BanStore,
    private readonly protectedBlocks: readonly ProtectedBlocks[],
    private readonly now: () => number,
  ) {}

  isBanned(address: string): boolean {
    return this.pending.has(address) || this.store.get(address) !== undefined;
  }

  add(request: BanRequest): BanOutcome {
    const cidr = parseCidr(request.address);
    if (typeof cidr === 'string') return { ok: false, refused: 'invalid', message: cidr };
    const address = formatCidr(cidr);
    if (cidr.prefix < MIN_PREFIX[cidr.family]) {
      return { ok: false, refused: 'invalid', message: `${address} is too wide a block to ban (at most /${MIN_PREFIX[cidr.family]})` };
    }
    for (const blocks of this.protectedBlocks) {
      const hit = blocks.cidrs.find((p) => p.family === cidr.family && (cidrContains(p, cidr) || cidrContains(cidr, p)));
      if (hit !== undefined) {
        return { ok: false, refused: blocks.refusal, message: `${address} overlaps ${formatCidr(hit)} (${blocks.label})` };
      }
    }
    const now = this.now();
    const old = this.pending.get(address) ?? this.store.get(address);
    const ban: Ban = {
      address,
      reason: request.reason,
      createdAt: now,
      expiresAt: request.durationMs === undefined || request.durationMs === null ? null : now + request.durationMs,
      strikes: (old?.strikes ?? 0) + 1,
      source: request.source,
      ...(request.family !== undefined ? { family: request.family } : {}),
    };
    this.pending.set(address, ban);
    return { ok: true, ban, dryRun: false };
  }

  remove(address: string): boolean {
    const had = this.pending.delete(address);
    return this.store.remove(address) || had;
  }

  list(): Ban[] {
    const now = this.now();
    const merged = new Map<string, Ban>();
    for (const ban of this.store.list({ activeAt: now })) merged.set(ban.address, ban);
    for (const ban of this.pending.values()) merged.set(ban.address, ban);
    return [...merged.values()];
  }

  subscribe(_listener: (change: BanChange) => void): () => void {
    return () => {};
  }

  /** Writes the bans added since the last commit; returns how many. */
  commit(): number {
    const bans = [...this.pending.values()];
    if (bans.length > 0) this.store.putMany(bans);
    this.pending.clear();
    return bans.length;
  }
}
