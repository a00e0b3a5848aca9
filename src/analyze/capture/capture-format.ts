/**
 * What the pcap and pcapng readers share: the step protocol between a format reader (synchronous,
 * over the bytes already in the ChunkReader) and the async loop that refills it, and format detection.
 */
import type { CaptureProblem } from './captured-message.js';

/** `run()` stopped because messages are waiting in the decoder's `out`. */
export const RUN_OUTPUT = 0;
/** `run()` is finished with this file (its end, or a problem that stops the read). */
export const RUN_DONE = -1;

export interface FormatReader {
  /**
   * Reads records until messages are waiting (RUN_OUTPUT), the file is done (RUN_DONE), or more
   * bytes are needed: then it returns how many bytes must be available from the reader's `pos`.
   */
  run(): number;
  /** Called when the file ended while `run()` still wanted bytes. */
  endedEarly(): void;
}

export type ProblemReporter = (p: CaptureProblem) => void;

export type CaptureFormat = 'pcap' | 'pcapng';

/** The format from a file's first 4 bytes, or null when it is neither pcap nor pcapng. */
export function detectFormat(first: Uint8Array): CaptureFormat | null {
  if (first.length < 4) return null;
  const le = (first[0]! | (first[1]! << 8) | (first[2]! << 16) | (first[3]! << 24)) >>> 0;
  if (le === 0x0a0d0d0a) return 'pcapng';
  if (le === 0xa1b2c3d4 || le === 0xd4c3b2a1 || le === 0xa1b23c4d || le === 0x4d3cb2a1) return 'pcap';
  return null;
}

/** The largest record or block accepted: anything larger is a broken length, not a packet. */
export const MAX_RECORD = 16 * 1024 * 1024;
