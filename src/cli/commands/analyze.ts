/**
 * `ghostguard analyze CAPTURE... [--provider ADDR_OR_CIDR_OR_DOMAIN]... [--json | --html FILE]`:
 * explains the calls in pcap/pcapng captures (src/analyze): which were real (from the provider), which
 * were ghost calls a guard would have dropped, from which scanner, and whether the phone rang.
 *
 * Exit status: 0 when every capture was read, 1 when one could not be (missing, unreadable, not a
 * capture: the others are still analyzed) or --provider names a domain that does not resolve, 2 on
 * usage errors.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { analyzeCaptures, type AnalysisResult } from '../../analyze/analyzer.js';
import { formatHtmlReport } from '../../analyze/html-report.js';
import { JsonLinesWriter } from '../../analyze/json-lines.js';
import { resolveProviderOption, type NameResolver } from '../../analyze/provider-option.js';
import { formatTerminalReport } from '../../analyze/terminal-report.js';
import { readCaptures, type CaptureStats } from '../../analyze/capture/read-capture.js';
import type { CaptureProblem } from '../../analyze/capture/captured-message.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from './analyze-progress.js';

export const analyzeUsage = `Usage: ghostguard analyze CAPTURE... [--provider ADDR_OR_CIDR_OR_DOMAIN]... [--json | --html FILE]

Explains the SIP calls in packet captures (pcap or pcapng files; a folder
means the captures in it): which calls came from your provider, which were
ghost calls (sent straight to a phone by someone else: what ghostguard would
drop), from which scanner, and whether the phone rang.

  --provider X   your provider: an address, a CIDR block or a domain name;
                 repeat for more (default: inferred from where the phones
                 register, and said so)
  --json         one JSON object per SIP message, then {"summary": ...}
  --html FILE    also write a self-contained HTML report to FILE
Exit status: 0 when every capture was read, 1 when one could not be, 2 on usage errors.`;

/** Frame-level problems shown one by one before they are only counted. */
const SHOWN_PROBLEMS = 10;

export interface AnalyzeCommandDeps {
  readonly resolver?: NameResolver;
}

export async function analyzeCommand(args: string[], io: CliIo, deps: AnalyzeCommandDeps = {}): Promise<number> {
  const parsed = parseCommandArgs('analyze', analyzeUsage, args, io, {
    allowPositionals: true,
    options: {
      provider: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      html: { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  if (parsed.positionals.length === 0) return usage('no capture file given');
  if (v.json && v.html !== undefined) return usage('--json and --html cannot be combined');
  if (v.html !== undefined && v.html.length === 0) return usage('--html needs a file name');

  let provider = null;
  if (v.provider !== undefined) {
    const given = await resolveProviderOption(v.provider, deps.resolver);
    if (!given.ok) {
      io.err(`ghostguard analyze: ${given.error}\n`);
      return /could not resolve/.test(given.error) ? 1 : 2;
    }
    provider = given.provider;
  }

  const shown = parsed.positionals;
  const paths = shown.map((name) => resolve(io.cwd, name));
  // Files are shown as the user named them (a folder's files under the folder's name), not as absolute paths.
  const display = (file: string): string => {
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      if (file === path) return shown[i]!;
      if (file.startsWith(path + sep)) return join(shown[i]!, file.slice(path.length + 1));
    }
    return file;
  };
  let fileProblems = 0;
  let frameProblems = 0;
  const onProblem = (p: CaptureProblem): void => {
    if (p.frame === null) {
      fileProblems++;
      io.err(`ghostguard analyze: ${display(p.file)}: ${p.message} [${p.code}]\n`);
    } else if (++frameProblems <= SHOWN_PROBLEMS) {
      io.err(`ghostguard analyze: ${display(p.file)}: frame ${p.frame}: ${p.message} [${p.code}]\n`);
    }
  };
  const progress = io.errIsTTY ? new ProgressBar((text) => io.err(text)) : null;
  const json = v.json === true ? new JsonLinesWriter((text) => io.out(text), display) : null;

  // Ctrl-C stops reading; what was read so far is still reported.
  const abort = new AbortController();
  let stoppedBy: string | null = null;
  void io.untilStopped().then((signal) => {
    stoppedBy = signal;
    abort.abort();
  });
  let stats: CaptureStats | null = null;
  let result: AnalysisResult;
  try {
    result = await analyzeCaptures(
      (pass) => {
        const reading = readCaptures(paths, {
          signal: abort.signal,
          // Each file's problems are reported once, from the first pass.
          onProblem: pass === 1 ? onProblem : () => {},
          ...(progress === null ? {} : { onProgress: (p) => progress.update(pass, display(p.file), p.bytesRead, p.totalBytes) }),
        });
        if (pass === 1) stats = reading.stats;
        return reading;
      },
      { provider, ...(json === null ? {} : { onRow: (row) => json.row(row) }) },
    );
  } catch (error) {
    // Bad input is reported by the reader and the parser; this is for what nobody foresaw (a bug, an I/O failure).
    json?.flush();
    io.err(`ghostguard analyze: stopped by an unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    progress?.clear();
  }
  const { summary } = result;
  const files = (stats as CaptureStats | null)?.files ?? 0;
  if (frameProblems > SHOWN_PROBLEMS) io.err(`ghostguard analyze: ${frameProblems - SHOWN_PROBLEMS} more frame problems not shown\n`);
  if (stoppedBy !== null) io.err(`ghostguard analyze: stopped by ${stoppedBy as string} before the end: the results cover only what was read\n`);
  if (summary.messages === 0) io.err(`ghostguard analyze: no SIP messages found in ${shown.join(', ')}\n`);

  if (json !== null) json.summary(summary);
  else if (summary.messages > 0) io.out(formatTerminalReport(summary, shown, files));
  if (v.html !== undefined) {
    const target = resolve(io.cwd, v.html);
    try {
      await writeFile(target, formatHtmlReport(summary, shown));
      io.err(`ghostguard analyze: wrote the HTML report to ${v.html}\n`);
    } catch (error) {
      io.err(`ghostguard analyze: cannot write ${v.html}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  return fileProblems > 0 || stoppedBy !== null ? 1 : 0;
}
