/** What a command may touch of the outside world. Only src/cli builds a real one (main.ts). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** An in-memory CliIo for tests: everything written is kept. */
export function memoryIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CliIo & {
  stdout: string[];
  stderr: string[];
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    isTTY: false,
    env,
    cwd,
  };
}
