/**
 * `ghostguard parse FILE... [--json]`: parses raw SIP messages (one per file, or every file of a
 * folder) and shows what the guard would read from them. Exit 0 when every file parses and validates.
 */
import { parseMessage } from '../../sip/parse.js';
import { summarizeMessage, type MessageSummary } from '../../sip/summarize.js';
import { validate } from '../../sip/validate.js';
import { isSipError } from '../../sip/errors.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { formatSummary } from '../format-summary.js';
import { expandFiles, MAX_MESSAGE_READ, readHead, readProblem, type FileEntry } from '../message-files.js';


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
  const parsed = parseCommandArgs('parse', parseUsage, args, io, { allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length === 0) return parsed.usageError('no file given');
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

async function reportFile(path: string, shown: string, problem?: FileEntry['problem']): Promise<FileReport> {
  if (problem) return { file: shown, ok: false, error: { ...problem, offset: 0 } };
  let bytes: Buffer;
  try {
    bytes = await readHead(path, MAX_MESSAGE_READ);
  } catch (error) {
    return { file: shown, ok: false, error: { ...readProblem(error), offset: 0 } };
  }
  const msg = parseMessage(bytes);
  if (isSipError(msg)) return { file: shown, ok: false, error: msg.toJSON() };
  const invalid = validate(msg);
  const message = summarizeMessage(msg);
  return invalid ? { file: shown, ok: false, error: invalid.toJSON(), message } : { file: shown, ok: true, message };
}

function formatReport(report: FileReport): string {
  const lines: string[] = [];
  if (report.ok) lines.push(`${report.file}: valid SIP message`);
  else lines.push(`${report.file}: NOT valid: ${report.error?.message} [${report.error?.code} at byte ${report.error?.offset}]`);
  if (report.message) lines.push(...formatSummary(report.message).map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}
