/**
 * `readCaptures`: the SIP-looking messages of pcap/pcapng files (and of the capture files in
 * folders, in name order), one at a time, in constant memory. Each file is read through one reused
 * 1 MiB buffer; frames are decoded synchronously and the loop only awaits to refill the buffer or to
 * hand a message out.
 *
 * Problems (a file that is not a capture, a broken block, a truncated file, a frame the framer
 * refuses) go to `onProblem` and are counted in `stats`; without `onProblem`, a problem that stops a
 * file is thrown as a `CaptureError` instead.
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureProblem, CaptureReadOptions, CapturedMessage } from './captured-message.js';
import { detectFormat, MAX_RECORD, RUN_DONE, RUN_OUTPUT, type FormatReader } from './capture-format.js';
import { newCaptureStats, type CaptureStats } from './capture-stats.js';
import { ChunkReader } from './chunk-reader.js';
import { PacketDecoder, type DecoderLimits } from './packet-decoder.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng-reader.js';

export type { CaptureStats } from './capture-stats.js';

export interface ReadCapturesOptions extends CaptureReadOptions {
  readonly onProblem?: (p: CaptureProblem) => void;
  /** Bounds of the reassembly tables (tests make them small). */
  readonly limits?: DecoderLimits;
}

/** The messages, plus counters filled in while they are read. */
export interface CaptureReading extends AsyncIterable<CapturedMessage> {
  readonly stats: CaptureStats;
}

/** A problem that stopped a file, thrown when no `onProblem` was given. */
export class CaptureError extends Error {
  readonly problem: CaptureProblem;
  constructor(problem: CaptureProblem) {
    super(`${problem.file}: ${problem.message}`);
    this.name = 'CaptureError';
    this.problem = problem;
  }
}

const PROGRESS_EVERY_MS = 100;

export function readCaptures(paths: readonly string[], options: ReadCapturesOptions = {}): CaptureReading {
  const stats = newCaptureStats();
  return {
    stats,
    [Symbol.asyncIterator]: () => readAll(paths, options, stats)[Symbol.asyncIterator](),
  };
}

async function* readAll(paths: readonly string[], options: ReadCapturesOptions, stats: CaptureStats): AsyncGenerator<CapturedMessage> {
  const report = (p: CaptureProblem): void => {
    stats.problems++;
    if (options.onProblem !== undefined) options.onProblem(p);
    else if (p.frame === null) throw new CaptureError(p);
  };
  for (const path of paths) {
    for (const file of await expand(path, report)) {
      if (aborted(options)) return;
      // One generator level only: every message costs a promise per level it passes through.
      const read = await FileRead.open(file, options, stats, report);
      if (read === null) continue;
      try {
        const out = read.decoder.out;
        for (;;) {
          const more = await read.step();
          for (let i = 0; i < out.length; i++) yield out[i]!;
          out.length = 0;
          if (!more || aborted(options)) break;
        }
        read.finish();
      } finally {
        await read.close();
      }
    }
  }
}

/** A file as itself; a folder as its capture files (by magic), in natural name order. */
async function expand(path: string, report: (p: CaptureProblem) => void): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    report({ file: path, code: 'CAPTURE_OPEN', message: `cannot open: ${errorText(e)}`, frame: null });
    return [];
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => !n.startsWith('.'));
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const files: string[] = [];
  for (const name of names) {
    const full = join(path, name);
    if (await isCaptureFile(full)) files.push(full);
  }
  if (files.length === 0) report({ file: path, code: 'CAPTURE_EMPTY_FOLDER', message: 'folder holds no pcap or pcapng file', frame: null });
  return files;
}

async function isCaptureFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(4);
      const { bytesRead } = await fh.read(head, 0, 4, 0);
      return detectFormat(head.subarray(0, bytesRead)) !== null;
    } finally {
      await fh.close();
    }
  } catch {
    return false; // unreadable entries of a folder are not captures
  }
}

/** One open capture file: its chunk reader, format reader and decoder. */
class FileRead {
  private counted = 0;
  private lastProgress = performance.now();

  private constructor(
    private readonly file: string,
    private readonly fh: FileHandle,
    private readonly totalBytes: number | null,
    private readonly src: ChunkReader,
    readonly decoder: PacketDecoder,
    private readonly reader: FormatReader,
    private readonly options: ReadCapturesOptions,
    private readonly stats: CaptureStats,
  ) {}

  /** Opens and recognises `file`; null (after a reported problem) when it cannot be read. */
  static async open(file: string, options: ReadCapturesOptions, stats: CaptureStats, report: (p: CaptureProblem) => void): Promise<FileRead | null> {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (e) {
      report({ file, code: 'CAPTURE_OPEN', message: `cannot open: ${errorText(e)}`, frame: null });
      return null;
    }
    try {
      const info = await fh.stat();
      const src = new ChunkReader(fh, MAX_RECORD + 64);
      await src.fill(4);
      const format = detectFormat(src.buf.subarray(src.pos, src.end));
      if (format === null) {
        stats.bytes += src.bytesRead;
        report({ file, code: 'CAPTURE_NOT_A_CAPTURE', message: 'not a pcap or pcapng file', frame: null, offset: 0 });
        await fh.close();
        return null;
      }
      stats.files++;
      const decoder = new PacketDecoder(file, stats, report, options.limits);
      const reader: FormatReader =
        format === 'pcap' ? new PcapReader(file, src, decoder, stats, report) : new PcapngReader(file, src, decoder, stats, report);
      return new FileRead(file, fh, info.isFile() ? info.size : null, src, decoder, reader, options, stats);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Decodes until messages wait in `decoder.out` or the file is done; false when it is done. */
  async step(): Promise<boolean> {
    for (;;) {
      const need = this.reader.run();
      if (need === RUN_DONE) return false;
      if (need === RUN_OUTPUT) return true;
      const src = this.src;
      if (need > src.available && !(await src.fill(need))) {
        if (src.available > 0) this.reader.endedEarly();
        return false;
      }
      const now = performance.now();
      if (now - this.lastProgress >= PROGRESS_EVERY_MS) {
        this.lastProgress = now;
        this.progress();
      }
      if (aborted(this.options)) return false;
    }
  }

  /** End of the file: incomplete reassemblies are dropped, the last progress is reported. */
  finish(): void {
    this.decoder.finish();
    this.progress();
  }

  close(): Promise<void> {
    return this.fh.close();
  }

  private progress(): void {
    const src = this.src;
    this.stats.bytes += src.bytesRead - this.counted;
    this.counted = src.bytesRead;
    this.options.onProgress?.({ file: this.file, bytesRead: src.bytesRead, totalBytes: this.totalBytes, frames: this.stats.frames });
  }
}

function aborted(options: ReadCapturesOptions): boolean {
  return options.signal?.aborted === true;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
