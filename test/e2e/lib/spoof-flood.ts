/**
 * The spoofed-source flood generator (`tools/spoof-flood.c`): built with cc at test time, run inside
 * a lab namespace (it needs a raw socket: root). Node cannot send from an address it does not own.
 */
import { existsSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, type Child } from './child.js';
import type { Host } from './netns.js';
import { toolPath } from './tools.js';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'spoof-flood.c');

export interface SpoofFloodOptions {
  readonly to: string;
  readonly port: number;
  /** Source addresses are drawn from this IPv4 block, e.g. "198.18.0.0/15". */
  readonly sources: string;
  /** Datagrams (at most 1,000,000) and datagrams per second (at most 50,000). */
  readonly count: number;
  readonly rate: number;
  readonly seed?: number;
}

export interface SpoofFloodResult {
  readonly sent: number;
  readonly distinct: number;
  readonly ms: number;
}

/** Builds the generator into `dir` (once). */
export async function buildSpoofFlood(dir: string): Promise<string> {
  const out = join(dir, 'spoof-flood');
  if (existsSync(out)) return out;
  const tmp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
  const result = await runChild('cc-spoof-flood', toolPath('cc'), ['-O2', '-Wall', '-Wextra', '-Werror', '-o', tmp, SOURCE], 60_000);
  if (result.code !== 0) throw new Error(`e2e: building spoof-flood failed:\n${result.output}`);
  renameSync(tmp, out);
  return out;
}

/** Starts the flood in `host`; `done` resolves with what it sent (it stops by itself: bounded count and time). */
export function spoofFlood(host: Host, binary: string, o: SpoofFloodOptions): { child: Child; done: Promise<SpoofFloodResult> } {
  const [net = '', prefix = '32'] = o.sources.split('/');
  const args = [o.to, String(o.port), net, prefix, String(o.count), String(o.rate), String(o.seed ?? 1)];
  const child = host.spawn('spoof-flood', binary, args);
  const done = child.exited.then((status) => {
    const m = /sent (\d+) datagrams from (\d+) distinct sources in (\d+) ms/.exec(child.output);
    if (status.code !== 0 || m === null) throw new Error(`e2e: spoof-flood failed (${status.code}): ${child.output.slice(-1000)}`);
    return { sent: Number(m[1]), distinct: Number(m[2]), ms: Number(m[3]) };
  });
  return { child, done };
}
