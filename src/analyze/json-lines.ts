/**
 * `--json` output: one JSON object per SIP message on its own line, then `{"summary": {...}}`. Lines
 * are gathered and written in chunks of about 256 KiB, not one write per message. A row's
 * explanation (long, and the same object for every message of a flood) is encoded once and reused.
 */
import type { Explanation } from '../policy/explain.js';
import type { AnalysisSummary, MessageRow } from './analysis.js';

const CHUNK_CHARS = 256 * 1024;
const MAX_FILES = 10_000;
const REASON_CODE_SHAPE = /^[a-z][a-z0-9-]*$/;

export class JsonLinesWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly encoded = new WeakMap<Explanation, string>();

  /** File names as shown, per file as read (a few files: kept). */
  private readonly files = new Map<string, string>();

  /** `showFile` turns the file a message came from into the name to print (default: as it is). */
  constructor(
    private readonly write: (text: string) => void,
    private readonly showFile: (file: string) => string = (file) => file,
  ) {}

  row(row: MessageRow): void {
    const line = this.encode(row);
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }

  /** The same text as JSON.stringify(row) plus a newline, with the repeated parts encoded once. */
  encode(row: MessageRow): string {
    const s = JSON.stringify;
    let file = this.files.get(row.file);
    if (file === undefined) {
      file = s(this.showFile(row.file));
      if (this.files.size < MAX_FILES) this.files.set(row.file, file);
    }
    let line = `{"file":${file},"frame":${row.frame},"time":${s(row.time)},"src":${s(row.src)},"dst":${s(row.dst)},"transport":${s(row.transport)},"method":${row.method === null ? 'null' : s(row.method)},"status":${row.status === null ? 'null' : row.status},"callId":${row.callId === null ? 'null' : s(row.callId)},"verdict":${s(row.verdict)},"family":${row.family === null ? 'null' : s(row.family)},"reasons":${this.reasonsJson(row.reasons)},"explanation":${this.explanationJson(row.explanation)}`;
    if (row.error !== undefined) line += `,"error":${s(row.error)}`;
    return `${line}}\n`;
  }

  summary(summary: AnalysisSummary): void {
    this.parts.push(`${JSON.stringify({ summary })}\n`);
    this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Reason codes are kebab-case ASCII (reason-codes.ts): quoted as they are; anything else through JSON.stringify. */
  private reasonsJson(reasons: readonly string[]): string {
    if (reasons.length === 0) return '[]';
    for (const code of reasons) if (!REASON_CODE_SHAPE.test(code)) return JSON.stringify(reasons);
    return `["${reasons.join('","')}"]`;
  }

  private explanationJson(explanation: MessageRow['explanation']): string {
    if (explanation === null) return 'null';
    let text = this.encoded.get(explanation);
    if (text === undefined) this.encoded.set(explanation, (text = JSON.stringify(explanation)));
    return text;
  }
}
