/**
 * The seam to the `nft` program: one script in, one result out. The real runner starts `nft -f -` and
 * writes the script to its stdin (one process per batch, never one per ban), bounded by a timeout and
 * with its output capped; tests inject a fake that records the scripts.
 */
import { spawn } from 'node:child_process';

export interface NftResult {
  readonly ok: boolean;
  /** nft's error output (trimmed, capped), or why it could not run. */
  readonly message: string;
  /** Set when nft could not run at all or lacks permission: no later script will do better. */
  readonly fatal: boolean;
}

export interface NftRunner {
  run(script: string): Promise<NftResult>;
}

export interface SpawnNftRunnerOptions {
  /** The nft program; default `nft` (found on PATH). */
  readonly command?: string;
  /** Extra arguments before `-f -`, e.g. `['-c']` to check only. */
  readonly args?: readonly string[];
  /** Per script; default 30 s (a table rebuilt with 100,000 bans takes nft a few seconds). */
  readonly timeoutMs?: number;
}

const OUTPUT_CAP = 4096;

/** True for nft's messages that mean "not allowed" (not root, no CAP_NET_ADMIN). */
export function isPermissionError(message: string): boolean {
  return /Operation not permitted|Permission denied|EPERM/i.test(message);
}

export function spawnNftRunner(options: SpawnNftRunnerOptions = {}): NftRunner {
  const command = options.command ?? 'nft';
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    run: (script) =>
      new Promise<NftResult>((resolve) => {
        let output = '';
        let settled = false;
        const done = (result: NftResult): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(result);
        };
        const child = spawn(command, [...(options.args ?? []), '-f', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
        const keep = (chunk: Buffer): void => {
          if (output.length < OUTPUT_CAP) output += chunk.toString('utf8').slice(0, OUTPUT_CAP - output.length);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          done({ ok: false, message: `${command} did not finish within ${timeoutMs} ms`, fatal: false });
        }, timeoutMs);
        child.on('error', (error: NodeJS.ErrnoException) => {
          const missing = error.code === 'ENOENT';
          const message = missing
            ? `${command} is not installed (Debian package nftables)`
            : `cannot run ${command}: ${error.message}`;
          done({ ok: false, message, fatal: missing || error.code === 'EACCES' });
        });
        child.on('close', (code) => {
          const message = output.trim();
          if (code === 0) done({ ok: true, message, fatal: false });
          else {
            const why = isPermissionError(message) ? `${message} (the kernel offload needs root or CAP_NET_ADMIN)` : message;
            done({ ok: false, message: why || `${command} exited with status ${code}`, fatal: isPermissionError(message) });
          }
        });
        child.stdin.on('error', () => {
          // nft exited before reading all of the script: its exit status and output tell why.
        });
        child.stdin.end(script);
      }),
  };
}
