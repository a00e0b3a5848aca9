/**
 * A child process the harness started: output captured (to memory and a log file), awaitable
 * exit, waiting for an output line, and ending it by PID (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Where stdout and stderr are also written (appended), for debugging a failed run. */
  readonly logFile?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep stdin open as a pipe (default: ignored). */
  readonly stdin?: boolean;
}

/** Cap on the output kept in memory per child, so a chatty process cannot grow without bound. */
const MAX_KEPT = 4 * 1024 * 1024;

export class Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  private out = '';
  private status: ExitStatus | undefined;
  private readonly log: WriteStream | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(name: string, command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.name = name;
    this.log = options.logFile !== undefined ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    this.log?.write(`$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`e2e: could not start ${command}`);
    this.pid = child.pid;
    this.process = child;
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      this.log?.write(chunk);
      if (this.out.length < MAX_KEPT) this.out += text;
      for (const wake of this.waiters) wake();
    };
    // A write to the stdin of a child that has exited must not crash the test process.
    child.stdin?.on('error', (err) => onData(Buffer.from(`\n[stdin error: ${err.message}]\n`)));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.status = { code, signal };
        this.log?.end(`\n[exit code=${code} signal=${signal}]\n`);
        for (const wake of this.waiters) wake();
        resolve(this.status);
      });
      child.on('error', (err) => onData(Buffer.from(`\n[spawn error: ${err.message}]\n`)));
    });
  }

  /** Everything the child printed so far (stdout and stderr interleaved). */
  get output(): string {
    return this.out;
  }

  get running(): boolean {
    return this.status === undefined;
  }

  /** Resolves with the first match of `pattern` in the output (past or future); rejects on timeout or exit. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = this.out.match(pattern);
        if (m !== null) {
          done();
          resolve(m);
          return true;
        }
        if (this.status !== undefined) {
          done();
          reject(new Error(`${this.name} exited (${this.status.code ?? this.status.signal}) before printing ${pattern}\n${this.tail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      const wake = (): void => {
        check();
      };
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      if (!check()) this.waiters.add(wake);
    });
  }

  /** The last lines of output, for error messages. */
  tail(lines = 25): string {
    return this.out.split('\n').slice(-lines).join('\n');
  }

  /** Sends a signal to this child's PID (never by name). */
  signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(this.pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  async stop(graceMs = 2000): Promise<ExitStatus> {
    if (!this.running) return this.exited;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs a command to completion with a time limit; never rejects on a non-zero exit. */
export async function runChild(
  name: string,
  command: string,
  args: readonly string[],
  timeoutMs: number,
  options: SpawnOptions = {},
): Promise<ExitStatus & { output: string; timedOut: boolean }> {
  const child = new Child(name, command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop(1000);
  }, timeoutMs);
  const status = await child.exited;
  clearTimeout(timer);
  return { ...status, output: child.output, timedOut };
}
