/**
 * Puts one blocklist's entries into force through {@link BanControl} (source 'blocklist'), and takes out
 * the entries the list no longer has.
 *
 * - BanControl refuses the provider, the LAN and registered phones: those refusals are counted by kind,
 *   with the first few addresses, so a list that names the user's own provider is noticed.
 * - An address already banned for another reason (an automatic or a manual ban) is left as it is: a
 *   list must not shorten a ban, nor end it when the list drops the address.
 * - An entry dropped from the list is unbanned only if its ban is still a blocklist ban and no other
 *   list (`keep`) still names it.
 */
import type { Ban } from '../../store/ban-store.js';
import type { BanControl, BanRefusal } from '../bans/ban-control.js';

export interface ApplyBlocklistOptions {
  /** Names the list in the bans' reason, e.g. the URL. */
  readonly name: string;
  /** How long each ban lasts: past the next refresh. null: until removed. */
  readonly durationMs: number | null;
  /** What this list put in force last time (canonical addresses). */
  readonly previous?: ReadonlySet<string>;
  /** Addresses another list still names: never removed here. */
  readonly keep?: (address: string) => boolean;
  /** Refused addresses kept for the report; default 5. */
  readonly maxExamples?: number;
}

export interface ApplyBlocklistResult {
  /** Bans added or renewed. */
  readonly added: number;
  /** Already banned for another reason: left alone. */
  readonly alreadyBanned: number;
  /** Dropped from the list and unbanned. */
  readonly removed: number;
  readonly refused: Readonly<Partial<Record<BanRefusal, number>>>;
  readonly refusedExamples: readonly { readonly address: string; readonly message: string }[];
  /** What this list has in force now: pass as `previous` next time. */
  readonly current: ReadonlySet<string>;
}

export function applyBlocklist(bans: BanControl, entries: readonly string[], options: ApplyBlocklistOptions): ApplyBlocklistResult {
  const existing = new Map<string, Ban>();
  for (const ban of bans.list()) existing.set(ban.address, ban);
  const previous = options.previous ?? new Set<string>();
  const maxExamples = options.maxExamples ?? 5;
  const current = new Set<string>();
  const refused: Partial<Record<BanRefusal, number>> = {};
  const refusedExamples: { address: string; message: string }[] = [];
  let added = 0;
  let alreadyBanned = 0;

  for (const address of entries) {
    const other = existing.get(address);
    if (other !== undefined && other.source !== 'blocklist') {
      alreadyBanned++;
      continue;
    }
    const outcome = bans.add({ address, reason: `blocklist ${options.name}`, source: 'blocklist', durationMs: options.durationMs });
    if (outcome.ok) {
      added++;
      current.add(outcome.ban.address);
      continue;
    }
    refused[outcome.refused] = (refused[outcome.refused] ?? 0) + 1;
    if (refusedExamples.length < maxExamples) refusedExamples.push({ address, message: outcome.message });
  }

  let removed = 0;
  for (const address of previous) {
    if (current.has(address) || options.keep?.(address) === true) continue;
    const ban = existing.get(address);
    if (ban === undefined || ban.source !== 'blocklist') continue;
    if (bans.remove(address)) removed++;
  }
  return { added, alreadyBanned, removed, refused, refusedExamples, current };
}

/** "3 provider, 1 lan" or "none". */
export function formatRefusals(refused: ApplyBlocklistResult['refused']): string {
  const parts = Object.entries(refused).map(([kind, n]) => `${n} ${kind}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}
