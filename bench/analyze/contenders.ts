/**
 * What bench:analyze times, each on the same capture file:
 * - tshark: `tshark -n -r FILE -Y sip -T fields -e sip.Call-ID`, its output counted as it streams
 *   (one line per frame with SIP; several messages in one TCP frame are comma-separated Call-IDs);
 * - the capture reader alone, in this process, counting messages;
 * - the whole CLI: `node dist/cli/main.js analyze FILE --json`, output to /dev/null (timed), and
 *   once more into a file to read the message count of its summary line (not timed).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { readCaptures as ReadCaptures } from '../../src/analyze/capture/read-capture.js';
import { CLI_MAIN, COMPILED_READER, ROOT } from './build.js';

export interface Timing {
  readonly name: string;
  readonly seconds: number;
  /** SIP messages it extracted, or null when it cannot tell. */
  readonly messages: number | null;
  readonly note?: string;
}

export async function timeTshark(tshark: string, file: string, home: string): Promise<Timing> {
  const started = performance.now();
  const child = spawn(tshark, ['-n', '-r', file, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], {
    env: { ...process.env, HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let messages = 0;
  let partial = '';
  let errors = '';
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line !== '') messages += line.split(',').length;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => {
    if (errors.length < 4000) errors += c;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (partial !== '') messages += partial.split(',').length;
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`tshark exited with ${code}: ${errors.trim()}`);
  return { name: 'tshark -Y sip -T fields -e sip.Call-ID', seconds, messages };
}

/** The compiled reader over the file, `rounds` times; the median round is reported. */
export async function timeReader(file: string, rounds: number): Promise<Timing> {
  const { readCaptures } = (await import(pathToFileURL(COMPILED_READER).href)) as { readCaptures: typeof ReadCaptures };
  const times: number[] = [];
  let messages = -1;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    let n = 0;
    const problems: string[] = [];
    const reading = readCaptures([file], { onProblem: (p) => problems.push(`${p.code}: ${p.message}`) });
    for await (const m of reading) if (m.bytes.length > 0) n++;
    times.push((performance.now() - started) / 1000);
    if (problems.length > 0) throw new Error(`the reader reported problems: ${problems.slice(0, 5).join('; ')}`);
    if (messages >= 0 && n !== messages) throw new Error(`the reader counted ${n} messages, then ${messages}`);
    messages = n;
  }
  times.sort((a, b) => a - b);
  return { name: `ghostguard reader (in-process, median of ${rounds})`, seconds: times[Math.floor(times.length / 2)]!, messages };
}

/** The CLI, timed with its output going to /dev/null; then counted from a second, untimed run. */
export async function timeCli(file: string, countFile: string): Promise<Timing> {
  const devnull = openSync('/dev/null', 'w');
  const started = performance.now();
  let code: number | null;
  try {
    code = await run(['analyze', file, '--json'], devnull);
  } finally {
    closeSync(devnull);
  }
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`ghostguard analyze exited with ${code}`);
  const out = openSync(countFile, 'w');
  try {
    await run(['analyze', file, '--json'], out);
  } finally {
    closeSync(out);
  }
  return { name: 'ghostguard analyze FILE --json > /dev/null', seconds, messages: summaryMessages(countFile), note: `JSON output ${mb(statSync(countFile).size)} MB` };
}

function run(args: readonly string[], stdout: number): Promise<number | null> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: ROOT, stdio: ['ignore', stdout, 'inherit'] });
  return new Promise((resolve) => child.on('close', resolve));
}

/** `summary.messages` of the output's last line (read from its last MiB), or null when there is none. */
function summaryMessages(path: string): number | null {
  const size = statSync(path).size;
  const tail = Buffer.alloc(Math.min(size, 1 << 20));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  const lines = tail.toString('utf8').trimEnd().split('\n');
  try {
    const last = JSON.parse(lines.at(-1) ?? '') as { summary?: Record<string, unknown> };
    const n = last.summary?.['messages'];
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
