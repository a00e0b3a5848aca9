/**
 * Argument parsing shared by the CLI commands: node:util parseArgs plus the common
 * `--help` / usage-error handling, so each command only states its options and checks.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.js';

/** What a command passes to parseArgs, minus `args` (given separately); `--help`/`-h` is added here. */
export type CommandArgsConfig = Omit<ParseArgsConfig, 'args' | 'strict' | 'tokens'>;

/** The parsed command line of a command that should go on running. */
export interface CommandArgs<T extends CommandArgsConfig> {
  values: ReturnType<typeof parseArgs<T>>['values'];
  positionals: string[];
  /** Prints `ghostguard NAME: message` and the usage to stderr; returns exit code 2. */
  usageError: (message: string) => number;
}

const HELP_OPTION = { type: 'boolean', short: 'h' } as const;

/**
 * Parses `args` for command `name`. Returns the exit code when the command is done already:
 * 2 after a usage error (message and usage on stderr), 0 after `--help` (usage on stdout).
 * Positionals are refused unless `config.allowPositionals` is true.
 */
export function parseCommandArgs<T extends CommandArgsConfig>(
  name: string,
  usage: string,
  args: string[],
  io: CliIo,
  config: T,
): CommandArgs<T> | number {
  const usageError = (message: string): number => {
    io.err(`ghostguard ${name}: ${message}\n${usage}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({ ...config, args, strict: true, options: { ...config.options, help: HELP_OPTION } });
  } catch (error) {
    return usageError((error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    io.out(`${usage}\n`);
    return 0;
  }
  return { values: parsed.values as CommandArgs<T>['values'], positionals: parsed.positionals, usageError };
}
