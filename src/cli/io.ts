/** What a command may touch of the outside world. Only src/cli builds a real one (main.ts). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (live screens). */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (progress bars, which must not mix into redirected output). */
  readonly errIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Resolves with the signal's name when the user asks a long-running command to stop (Ctrl-C, SIGTERM). */
  untilStopped(): Promise<string>;
}

/** An in-memory CliIo for tests: everything written is kept. */
export function memoryIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CliIo & {
  stdout: string[];
  stderr: string[];
  /** Simulates Ctrl-C for a command waiting in untilStopped(). */
  stop(signal?: string): void;
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let resolveStop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (resolveStop = resolve));
  return {
    stdout,
    stderr,
    stop: (signal = 'SIGINT') => resolveStop(signal),
    untilStopped: () => stopped,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    isTTY: false,
    errIsTTY: false,
    env,
    cwd,
  };
}
