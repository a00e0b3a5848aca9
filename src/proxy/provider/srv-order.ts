/**
 * RFC 2782 target selection: SRV records in the order a client should try them.
 *
 * "A client MUST attempt to contact the target host with the lowest-numbered priority it can reach;
 * target hosts with the same priority SHOULD be tried in an order defined by the weight field." Within
 * one priority the order is a weighted random draw: "arrange all SRV RRs (that have not been ordered
 * yet) in any order, except that all those with weight 0 are placed at the beginning of the list",
 * pick a uniform random number between 0 and the sum of the weights (inclusive), take the first record
 * whose running sum is at least that number, remove it, and repeat.
 *
 * A record whose target is "." (node:dns reports it as "" or ".") means "the service is decidedly not
 * available at this domain" and is left out.
 */
import type { SrvRecord } from './dns-resolver.js';

/** A uniform random number in [0, 1), like Math.random; injected so tests are deterministic. */
export type RandomSource = () => number;

export function isNoServiceTarget(name: string): boolean {
  return name === '' || name === '.';
}

export function orderSrv(records: readonly SrvRecord[], random: RandomSource = Math.random): SrvRecord[] {
  const usable = records.filter((r) => !isNoServiceTarget(r.name));
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const ordered: SrvRecord[] = [];
  for (const priority of priorities) {
    const remaining = usable.filter((r) => r.priority === priority).sort((a, b) => zeroFirst(a) - zeroFirst(b));
    while (remaining.length > 0) {
      const total = remaining.reduce((sum, r) => sum + r.weight, 0);
      const pick = Math.min(total, Math.floor(random() * (total + 1)));
      let running = 0;
      let index = remaining.length - 1;
      for (let i = 0; i < remaining.length; i++) {
        running += remaining[i]!.weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      ordered.push(remaining.splice(index, 1)[0]!);
    }
  }
  return ordered;
}

function zeroFirst(record: SrvRecord): number {
  return record.weight === 0 ? 0 : 1;
}
