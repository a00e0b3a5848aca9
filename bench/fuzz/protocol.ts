/** Messages between the fuzz runner (bench/fuzz.ts) and its worker (bench/fuzz/worker.ts). */

export interface WorkerInput {
  readonly seed: number;
  readonly cases: number;
  readonly batch: number;
  /** Heartbeat and the input under test, readable by the runner while the worker is stuck. */
  readonly shared: SharedArrayBuffer;
}

/** Layout of `shared`: Int32 [0] = cases started, [1] = length of the current input, bytes from 8. */
export const SHARED_HEADER_BYTES = 8;
export const SHARED_INPUT_BYTES = 512 * 1024;

export interface SlowestCase {
  readonly ms: number;
  readonly seedName: string;
  readonly bytes: Uint8Array;
}

/** The worker keeps the cases that took longest (a GC pause or a busy neighbour can make a case look slow). */
export const SLOWEST_KEPT = 5;

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly slowest: readonly SlowestCase[] }
  | {
      readonly kind: 'counterexample';
      readonly done: number;
      readonly batchSeed: number;
      readonly path: string | null;
      readonly seedName: string;
      readonly mutations: string;
      readonly bytes: Uint8Array;
      readonly error: string;
      readonly slowest: readonly SlowestCase[];
    }
  | { readonly kind: 'done'; readonly done: number; readonly slowest: readonly SlowestCase[] };
