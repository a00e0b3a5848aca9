/**
 * `ghostguard parse FILE... [--json]`: parses raw SIP messages (one per file, or every file of a
 * folder) and shows what the guard would read from them. Exit 0 when every file parses and validates.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseMessage } from '../../sip/parse.js';
import { summarizeMessage, type MessageSummary } from '../../sip/summarize.js';
import { validate } from '../../sip/validate.js';
import { isSipError } from '../../sip/errors.js';
import type { CliIo } from '../io.js';
import { formatSummary } from '../format-summary.js';

/** Bigger than any SIP message we accept, so the parser reports SIP_TOO_LARGE itself. */
const MAX_READ = 65_536;

export const parseUsage = `Usage: ghostguard parse FILE... [--json]

Parses raw SIP messages (one message per file; a folder means every file in it) and
prints what ghostguard reads from each: method or status, Request-URI, From, To,
Call-ID, CSeq, Via, User-Agent, Contact, Content-Length.

  --json    one JSON object per file, each on its own line
Exit status: 0 when every file is a valid SIP message, 1 otherwise, 2 on usage errors.`;

interface FileReport {
  file: string;
  ok: boolean;
  error?: { code: string; message: string; offset: number };
  message?: MessageSummary;
}

export async function parseCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`ghostguard parse: ${(error as Error).message}\n${parseUsage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`${parseUsage}\n`);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    io.err(`ghostguard parse: no file given\n${parseUsage}\n`);
    return 2;
  }
  const files = await expandFiles(parsed.positionals, io.cwd);
  let failures = 0;
  for (const file of files) {
    const report = await reportFile(file.path, file.shown, file.problem);
    if (!report.ok) failures++;
    io.out(parsed.values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  }
  if (!parsed.values.json && files.length > 1) {
    io.out(`${files.length - failures} of ${files.length} files are valid SIP messages.\n`);
  }
  return failures === 0 ? 0 : 1;
}

interface FileEntry {
  path: string;
  shown: string;
  problem?: { code: string; message: string };
}

async function expandFiles(names: string[], cwd: string): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const name of names) {
    const path = resolve(cwd, name);
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        const children = (await readdir(path, { withFileTypes: true }))
          .filter((child) => child.isFile())
          .map((child) => child.name)
          .sort();
        for (const child of children) entries.push({ path: join(path, child), shown: join(name, child) });
      } else {
        entries.push({ path, shown: name });
      }
    } catch (error) {
      entries.push({ path, shown: name, problem: readProblem(error) });
    }
  }
  return entries;
}

async function reportFile(path: string, shown: string, problem?: FileEntry['problem']): Promise<FileReport> {
  if (problem) return { file: shown, ok: false, error: { ...problem, offset: 0 } };
  let bytes: Buffer;
  try {
    bytes = await readHead(path, MAX_READ + 1);
  } catch (error) {
    return { file: shown, ok: false, error: { ...readProblem(error), offset: 0 } };
  }
  const msg = parseMessage(bytes);
  if (isSipError(msg)) return { file: shown, ok: false, error: msg.toJSON() };
  const invalid = validate(msg);
  const message = summarizeMessage(msg);
  return invalid ? { file: shown, ok: false, error: invalid.toJSON(), message } : { file: shown, ok: true, message };
}

/** Reads at most `limit` bytes: a huge file costs no more memory than the largest message. */
async function readHead(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function readProblem(error: unknown): { code: string; message: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { code: 'GG_ERR_READ', message: 'no such file' };
  if (code === 'EACCES') return { code: 'GG_ERR_READ', message: 'permission denied' };
  if (code === 'EISDIR') return { code: 'GG_ERR_READ', message: 'is a folder' };
  return { code: 'GG_ERR_READ', message: `cannot read: ${code ?? (error as Error).message}` };
}

function formatReport(report: FileReport): string {
  const lines: string[] = [];
  if (report.ok) lines.push(`${report.file}: valid SIP message`);
  else lines.push(`${report.file}: NOT valid: ${report.error?.message} [${report.error?.code} at byte ${report.error?.offset}]`);
  if (report.message) lines.push(...formatSummary(report.message).map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}
