/**
 * For tests: a {@link BanControl} in memory, with the refusals the real one makes (addresses inside the
 * `protectedBlocks` are refused as 'provider'; bad addresses as 'invalid'). Expiry happens only when the
 * test calls `expire(now)`, which reports 'expired' like the real one does.
 */
import { cidrContains, formatCidr, parseCidr, type Cidr } from '../../config/cidr.js';
import type { Ban } from '../../store/ban-store.js';
import type { BanChange, BanControl, BanOutcome, BanRequest } from '../bans/ban-control.js';

export class TestBanControl implements BanControl {
  readonly bans = new Map<string, Ban>();
  readonly changes: BanChange[] = [];
  private readonly listeners = new Set<(change: BanChange) => void>();
  private readonly protectedBlocks: Cidr[];

  constructor(
    private readonly now: () => number,
    protectedBlocks: readonly string[] = [],
    private readonly dryRun = false,
  ) {
    this.protectedBlocks = protectedBlocks.map((b) => parseCidr(b) as Cidr);
  }

  isBanned(address: string): boolean {
    return this.bans.has(address);
  }

  add(request: BanRequest): BanOutcome {
    const cidr = parseCidr(request.address);
    if (typeof cidr === 'string') return { ok: false, refused: 'invalid', message: cidr };
    if (this.protectedBlocks.some((p) => cidrContains(p, cidr) || cidrContains(cidr, p))) {
      return { ok: false, refused: 'provider', message: `${request.address} is the provider's` };
    }
    const address = formatCidr(cidr);
    const now = this.now();
    const durationMs = request.durationMs === undefined ? 3_600_000 : request.durationMs;
    const ban: Ban = {
      address,
      reason: request.reason,
      createdAt: now,
      expiresAt: durationMs === null ? null : now + durationMs,
      strikes: (this.bans.get(address)?.strikes ?? 0) + 1,
      source: request.source,
      ...(request.family !== undefined ? { family: request.family } : {}),
    };
    if (!this.dryRun) this.bans.set(address, ban);
    this.emit({ kind: 'added', ban, dryRun: this.dryRun });
    return { ok: true, ban, dryRun: this.dryRun };
  }

  remove(address: string): boolean {
    const ban = this.bans.get(address);
    if (ban === undefined) return false;
    this.bans.delete(address);
    this.emit({ kind: 'removed', ban });
    return true;
  }

  list(): Ban[] {
    return [...this.bans.values()];
  }

  subscribe(listener: (change: BanChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the bans whose time is up, reporting each as 'expired'. */
  expire(now: number): void {
    for (const ban of [...this.bans.values()]) {
      if (ban.expiresAt !== null && ban.expiresAt <= now) {
        this.bans.delete(ban.address);
        this.emit({ kind: 'expired', ban });
      }
    }
  }

  private emit(change: BanChange): void {
    this.changes.push(change);
    for (const listener of this.listeners) listener(change);
  }
}
