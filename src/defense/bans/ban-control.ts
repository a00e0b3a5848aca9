/**
 * The ban seam: what the dashboard/API, the CLI, the nftables offload, the blocklists and the alerts
 * use of the defense layer's bans. The defense layer (src/defense) implements it; the running guard
 * exposes it as `guard.bans`.
 */
import type { Ban, BanSource } from '../../store/ban-store.js';

export interface BanRequest {
  /** An IP address or CIDR block (canonical form is the implementation's job). */
  readonly address: string;
  readonly reason: string;
  readonly family?: string;
  /** null: until removed; undefined: the configured default (with escalation for repeat offenders). */
  readonly durationMs?: number | null;
  readonly source: BanSource;
}

export type BanRefusal = 'provider' | 'lan' | 'phone' | 'invalid';

export type BanOutcome =
  | { readonly ok: true; readonly ban: Ban; readonly dryRun: boolean }
  | { readonly ok: false; readonly refused: BanRefusal; readonly message: string };

export type BanChange =
  | { readonly kind: 'added'; readonly ban: Ban; readonly dryRun: boolean }
  | { readonly kind: 'removed' | 'expired'; readonly ban: Ban };

export interface BanControl {
  isBanned(address: string): boolean;
  add(request: BanRequest): BanOutcome;
  remove(address: string): boolean;
  /** Bans in force (and, in dry-run mode, the would-be bans, marked by `dryRun` in `subscribe`). */
  list(): Ban[];
  subscribe(listener: (change: BanChange) => void): () => void;
  /** Whether a listed ban is only a would-be ban (dry-run mode); optional (additive). */
  isDryRun?(address: string): boolean;
}
