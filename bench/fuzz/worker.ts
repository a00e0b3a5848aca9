/**
 * The fuzz worker: runs the property on mutated seeds in batches of fast-check runs, reports progress,
 * and stops at the first counterexample (after fast-check has shrunk it). Before each case it publishes
 * the input in shared memory, so that the runner can save it if the parser never returns (a hang).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { fuzzProperty } from './property.js';
import { applyMutations, fuzzCaseArb, type FuzzCase } from './mutations.js';
import { SHARED_HEADER_BYTES, SHARED_INPUT_BYTES, SLOWEST_KEPT, type SlowestCase, type WorkerInput, type WorkerMessage } from './protocol.js';
import { loadSeeds } from './seeds.js';

const input = workerData as WorkerInput;
const port = parentPort;
if (port === null) throw new Error('bench/fuzz/worker.ts runs as a worker thread of bench/fuzz.ts');

const header = new Int32Array(input.shared, 0, 2);
const current = new Uint8Array(input.shared, SHARED_HEADER_BYTES, SHARED_INPUT_BYTES);
const seeds = loadSeeds();
/** The slowest cases so far, slowest first. */
const slowest: SlowestCase[] = [];

const property = fc.property(fuzzCaseArb(seeds.length), (c: FuzzCase) => {
  const seed = seeds[c.seed]!;
  const bytes = applyMutations(seed.bytes, c.mutations);
  current.set(bytes.subarray(0, SHARED_INPUT_BYTES));
  Atomics.store(header, 1, bytes.length);
  Atomics.add(header, 0, 1);
  const start = performance.now();
  fuzzProperty(bytes);
  const ms = performance.now() - start;
  if (slowest.length < SLOWEST_KEPT || ms > slowest[slowest.length - 1]!.ms) {
    slowest.push({ ms, seedName: seed.name, bytes: Uint8Array.from(bytes) });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, SLOWEST_KEPT);
  }
});

const send = (m: WorkerMessage) => port.postMessage(m);
let done = 0;
let failed = false;
for (let b = 0; done < input.cases && !failed; b++) {
  const numRuns = Math.min(input.batch, input.cases - done);
  // One fast-check seed per batch, derived from the run's seed: a batch replays alone with it.
  const batchSeed = (input.seed + Math.imul(b, 0x9e3779b1)) | 0;
  const result = fc.check(property, { numRuns, seed: batchSeed });
  if (result.failed) {
    const c = (result.counterexample as [FuzzCase] | null)?.[0];
    const seed = c === undefined ? undefined : seeds[c.seed];
    send({
      kind: 'counterexample',
      done: done + result.numRuns,
      batchSeed,
      path: result.counterexamplePath,
      seedName: seed?.name ?? '?',
      mutations: c === undefined ? '?' : JSON.stringify(c.mutations),
      bytes: c === undefined || seed === undefined ? new Uint8Array() : Uint8Array.from(applyMutations(seed.bytes, c.mutations)),
      error: describeError(result.errorInstance),
      slowest,
    });
    failed = true;
  } else {
    done += result.numRuns;
    send({ kind: 'progress', done, slowest });
  }
}
if (!failed) send({ kind: 'done', done, slowest });

function describeError(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e, depth = 0; cur !== undefined && depth < 5; depth++) {
    parts.push(cur instanceof Error ? (cur.stack ?? `${cur.name}: ${cur.message}`) : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
    if (cur !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
