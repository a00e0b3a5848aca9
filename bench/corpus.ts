/**
 * The benchmark corpus: real SIP messages as bytes, one file per message in `bench/corpus/*.sip`.
 *
 * Every file is checked on load, so that a bad edit cannot silently skew a benchmark: the header block
 * uses CRLF line ends only (RFC 3261 §7), it ends with an empty line, and the body is exactly as long as
 * the Content-Length header (or compact `l`) says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusMessage {
  /** File name without `.sip`. */
  readonly name: string;
  readonly bytes: Buffer;
}

export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url));

export function loadCorpus(dir: string = CORPUS_DIR): CorpusMessage[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sip'))
    .sort();
  const messages: CorpusMessage[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(dir + file);
    const problem = framingProblem(bytes);
    if (problem !== null) problems.push(`${file}: ${problem}`);
    messages.push({ name: file.slice(0, -'.sip'.length), bytes });
  }
  if (problems.length > 0) throw new Error(`bench corpus is not well framed:\n  ${problems.join('\n  ')}`);
  if (messages.length === 0) throw new Error(`no .sip files in ${dir}`);
  return messages;
}

/** Why `bytes` is not a well-framed SIP message with CRLF line ends, or null when it is. */
export function framingProblem(bytes: Buffer): string | null {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return 'no empty line (CRLF CRLF) after the headers';
  const head = text.slice(0, end + 2);
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 10 && head.charCodeAt(i - 1) !== 13) return `bare LF at byte ${i}`;
    if (c === 13 && head.charCodeAt(i + 1) !== 10) return `bare CR at byte ${i}`;
  }
  let declared: number | null = null;
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'content-length' || name === 'l') declared = Number(line.slice(colon + 1).trim());
  }
  if (declared === null) return 'no Content-Length';
  const bodyLength = bytes.length - (end + 4);
  if (declared !== bodyLength) return `Content-Length ${declared} but the body has ${bodyLength} bytes`;
  return null;
}
