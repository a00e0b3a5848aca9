/**
 * A small, honest throughput harness: warm-up, then several timed rounds per contender, interleaved
 * (round 1 of every contender, then round 2 of every contender, ...) and rotated, so that a noisy
 * neighbour on a shared machine hits every contender alike. The reported figure is the median round.
 */
import { performance } from 'node:perf_hooks';

export interface Contender {
  readonly name: string;
  /** Items (messages) handled by one call of `pass`. */
  readonly itemsPerPass: number;
  /** One pass over all items; returns a number derived from the work, so it cannot be optimised away. */
  pass(): number;
}

export interface MeasureOptions {
  /** Time budget per contender, warm-up included. */
  readonly seconds: number;
  readonly rounds: number;
  /** Share of the budget spent warming up (JIT), before any round is timed. */
  readonly warmupShare: number;
}

export interface Measurement {
  readonly name: string;
  /** Items per second of each round, in round order. */
  readonly rounds: readonly number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Sum of the `pass()` results: printed so that the work is observably used. */
  readonly checksum: number;
}

export function measure(contenders: readonly Contender[], opts: MeasureOptions): Measurement[] {
  const warmupMs = opts.seconds * 1000 * opts.warmupShare;
  const roundMs = (opts.seconds * 1000 * (1 - opts.warmupShare)) / opts.rounds;
  const samples = contenders.map(() => [] as number[]);
  const checksums = contenders.map(() => 0);
  contenders.forEach((c, i) => {
    checksums[i]! += runFor(c, warmupMs).checksum;
  });
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      const c = contenders[i]!;
      const run = runFor(c, roundMs);
      samples[i]!.push((run.items / run.ms) * 1000);
      checksums[i]! += run.checksum;
    }
  }
  return contenders.map((c, i) => {
    const s = samples[i]!;
    return {
      name: c.name,
      rounds: s,
      median: median(s),
      min: Math.min(...s),
      max: Math.max(...s),
      checksum: checksums[i]!,
    };
  });
}

function runFor(c: Contender, ms: number): { items: number; ms: number; checksum: number } {
  let items = 0;
  let checksum = 0;
  const start = performance.now();
  let now = start;
  do {
    checksum += c.pass();
    items += c.itemsPerPass;
    now = performance.now();
  } while (now - start < ms);
  return { items, ms: now - start, checksum };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
