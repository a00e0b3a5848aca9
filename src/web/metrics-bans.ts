/**
 * How many bans are really in force, for `ghostguard_bans` in /metrics and `totals.banned` on the
 * dashboard. `BanControl.list()` also holds, in dry-run mode, the would-be bans (recorded, never
 * enforced: `isDryRun(address)`); they stay in the bans list, marked, but are not bans in force.
 */
import type { BanControl } from '../defense/bans/ban-control.js';

export function countBansInForce(bans: Pick<BanControl, 'list' | 'isDryRun'>): number {
  const listed = bans.list();
  const isDryRun = bans.isDryRun;
  if (isDryRun === undefined) return listed.length;
  // An address holds at most one would-be ban; a real ban for the same address (manual, in force)
  // may be listed beside it, so one entry per dry-run address is left out, not every entry.
  const dry = new Set<string>();
  for (const ban of listed) if (!dry.has(ban.address) && isDryRun.call(bans, ban.address)) dry.add(ban.address);
  return listed.length - dry.size;
}
