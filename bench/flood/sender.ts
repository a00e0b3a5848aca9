/**
 * The flood sender (sender.c): built with gcc into the run's temp folder, run inside a server's
 * namespace (raw socket: root), bounded in count and time by the C code itself.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Netns } from './netns.js';

const SOURCE = fileURLToPath(new URL('./sender.c', import.meta.url));

export interface SendResult {
  readonly sent: number;
  readonly failed: number;
  readonly seconds: number;
  readonly distinct: number;
  /** Batches that left more than 10 ms late (the sender could not keep the pace). */
  readonly behind: number;
}

export interface FloodSpec {
  readonly to: { address: string; port: number };
  readonly rate: number;
  readonly seconds: number;
  /** e.g. "127.64.0.0/12" */
  readonly sources: string;
  readonly mode: 'random' | 'sequential';
  readonly seed: number;
}

export function buildSender(dir: string): string {
  const out = join(dir, 'flood-sender');
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', out, SOURCE], { encoding: 'utf8', timeout: 60_000, stdio: 'pipe' });
  return out;
}

function args(templates: string, f: FloodSpec): string[] {
  const [net = '', prefix = '32'] = f.sources.split('/');
  return [f.to.address, String(f.to.port), templates, String(f.rate), String(f.seconds), net, prefix, f.mode, String(f.seed)];
}

/** Runs a flood in `ns` and resolves with what the sender says it sent. */
export function runFlood(ns: Netns, binary: string, templates: string, f: FloodSpec): Promise<SendResult> {
  const child = ns.spawn(binary, args(templates, f));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`bench:flood: the sender failed (${code}): ${err}${out}`));
      else resolve(JSON.parse(line) as SendResult);
    });
  });
}
