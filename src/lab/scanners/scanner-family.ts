/**
 * A scanner family the lab replays: the messages its tool really sends (header order, fixed values,
 * the shape of its random parts — the facts are in each family's file, from the tools' source code
 * as recorded in bench/corpus/README.md), and how often it comes back.
 */
import type { Endpoint } from '../../transport/flow.js';
import type { LabRandom } from '../lab-random.js';
import type { ScannerId } from './scanner-id.js';

export interface ScannerContext {
  /** The scanner's own address and port (what its Via and Contact name). */
  readonly self: Endpoint;
  /** The guard's WAN address and port: the target. */
  readonly target: Endpoint;
  readonly random: LabRandom;
  /** INVITEs in a flood burst. */
  readonly floodSize: number;
}

export interface ScannerBurst {
  /** In words, for people: what this burst tries. */
  readonly what: string;
  readonly messages: readonly string[];
  /** Messages sent together, then a pause of `gapMs` (scaled with the schedule). */
  readonly perTick: number;
  readonly gapMs: number;
}

export interface ScannerFamily {
  readonly id: ScannerId;
  /** The tool, as people know it. */
  readonly name: string;
  /** One line for the demo's intro. */
  readonly summary: string;
  /** The source port the tool usually binds (another free one is taken if busy; 0: any). */
  readonly port: number;
  /** The first burst after the lab starts, then one every `everyMs` (±20 %), before scaling. */
  readonly firstMs: number;
  readonly everyMs: number;
  /** The messages of burst number `round` (0, 1, 2 ...). */
  burst(ctx: ScannerContext, round: number): ScannerBurst;
}

/** `a.b.c.d` as 8 hex digits (SIPVicious's createTag). */
export function ipHex(address: string): string {
  return address
    .split('.')
    .map((part) => Number(part).toString(16).padStart(2, '0'))
    .join('');
}

/** The bytes of a latin-1 string as lower-case hex. */
export function hexOf(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex');
}
