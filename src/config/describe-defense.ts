/** The `defense:` section in plain lines, for `ghostguard check-config` (see describe-config.ts). */
import type { DefenseConfig } from './defense-config.js';

function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function describeDefense(defense: DefenseConfig): string[] {
  const { rate, bans, password } = defense;
  return [
    `Rate limit: ${rate.requestsPerSecond} requests/s per source (bursts of ${rate.burst}), ${rate.maxSources} sources tracked at most`,
    `Bans: a source rate-limited for ${bans.floodSeconds} s, or refused ${bans.refused} times in ${bans.refusedWindowSeconds} s, ` +
      `is banned for ${duration(bans.durationSeconds)}, doubling for repeat offenders up to ${duration(bans.maxDurationSeconds)}; ` +
      'never the provider, the LAN or a registered phone',
    `Password guessing: ${password.failures} failed REGISTERs in ${duration(password.windowSeconds)} ban a source; ` +
      `an account with ${password.accountFailures} failures gets one attempt per ${password.retrySeconds} s from each failing source`,
    ...(defense.nftables ? ['Kernel offload: bans are copied into the nftables table inet ghostguard'] : []),
    ...(defense.blocklists.length === 0
      ? []
      : [`Blocklists: ${defense.blocklists.map((b) => `${'file' in b.source ? b.source.file : b.source.url} every ${duration(b.everySeconds)}`).join('; ')}`]),
    ...(defense.dryRun ? ['Dry run: automatic bans are only recorded and shown, not enforced'] : []),
  ];
}
