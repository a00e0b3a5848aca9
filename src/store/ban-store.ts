/**
 * The persisted ban table. The defense layer decides and keeps its own fast lookup; this keeps bans
 * across restarts and is the seam a shared backend (Redis sets with expiry, DESIGN §6) will fill.
 * Addresses are keys as given: callers pass them in canonical form (see `formatCidr`).
 */

export type BanSource = 'auto' | 'manual' | 'blocklist';

export interface Ban {
  /** An IP address or CIDR block. */
  readonly address: string;
  readonly reason: string;
  readonly family?: string;
  readonly createdAt: number;
  /** ms since the epoch; null: until removed. */
  readonly expiresAt: number | null;
  /** How often this source has been banned (escalation). */
  readonly strikes: number;
  readonly source: BanSource;
}

export interface BanListOptions {
  /** Only bans still in force at this time. */
  readonly activeAt?: number;
  readonly source?: BanSource;
  readonly limit?: number;
}

export interface BanStore {
  /** Inserts or replaces the ban of this address. */
  put(ban: Ban): void;
  /** Several at once, in one transaction (blocklist import). */
  putMany(bans: readonly Ban[]): void;
  get(address: string): Ban | undefined;
  remove(address: string): boolean;
  /** Oldest first. */
  list(options?: BanListOptions): Ban[];
  /** Removes bans whose expiresAt ≤ now; returns how many. */
  purgeExpired(now?: number): number;
}
