/**
 * For the capture reader's unit tests: write bytes to a temporary file, read them back with
 * `readCaptures`, and return the messages (bytes copied, as text), the problems and the counters.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureEndpoint, CaptureProblem } from './captured-message.js';
import { readCaptures, type CaptureStats, type ReadCapturesOptions } from './read-capture.js';

export interface ReadBack {
  readonly messages: { frame: number; time: number; src: CaptureEndpoint; dst: CaptureEndpoint; transport: string; text: string }[];
  readonly problems: CaptureProblem[];
  readonly stats: CaptureStats;
}

export const A = { address: '198.51.100.7', port: 5060 } as const;
export const B = { address: '192.0.2.10', port: 5060 } as const;
export const A6 = { address: '2001:db8::7', port: 5060 } as const;
export const B6 = { address: '2001:db8:0:1::10', port: 5062 } as const;
export const T0 = Date.UTC(2026, 10, 28, 1, 2, 3);

/** A small SIP request (Content-Length right) with `tag` in its Call-ID and `body` as its body. */
export function sipRequest(tag: string, body = ''): string {
  return (
    `INVITE sip:100@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-${tag}\r\n` +
    `From: "sipvicious"<sip:100@1.1.1.1>;tag=${tag}\r\nTo: "sipvicious"<sip:100@1.1.1.1>\r\nCall-ID: ${tag}\r\n` +
    `CSeq: 1 INVITE\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

export async function readBack(files: Buffer | readonly Buffer[], options: ReadCapturesOptions = {}): Promise<ReadBack> {
  const dir = mkdtempSync(join(tmpdir(), 'gg-capture-'));
  try {
    const list = Buffer.isBuffer(files) ? [files] : files;
    const paths = list.map((b, i) => {
      const p = join(dir, `c${i}.cap`);
      writeFileSync(p, b);
      return p;
    });
    return await readPaths(paths, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function readPaths(paths: readonly string[], options: ReadCapturesOptions = {}): Promise<ReadBack> {
  const problems: CaptureProblem[] = [];
  const reading = readCaptures(paths, { ...options, onProblem: (p) => problems.push(p) });
  const messages: ReadBack['messages'] = [];
  for await (const m of reading) {
    messages.push({ frame: m.frame, time: m.time, src: m.src, dst: m.dst, transport: m.transport, text: Buffer.from(m.bytes).toString('utf8') });
  }
  return { messages, problems, stats: reading.stats };
}
