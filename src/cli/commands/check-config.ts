/**
 * `ghostguard check-config FILE`: validates a config file and prints what the guard would do with it.
 * Every problem is listed at once, each located (file:line:column) and coded. Exit 0 when valid, 1 not.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { describeConfig } from '../../config/describe-config.js';
import { formatConfigError } from '../../config/config-error.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';

export const checkConfigUsage = `Usage: ghostguard check-config FILE

Validates a ghostguard config file (YAML) and prints what the guard would do with it:
where it listens on each leg, which provider addresses it trusts, what strangers get.
Exit status: 0 when the config is valid, 1 when not, 2 on usage errors.`;

export async function checkConfigCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('check-config', checkConfigUsage, args, io, { allowPositionals: true, options: {} });
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) return parsed.usageError('give exactly one config file');
  const file = resolve(io.cwd, parsed.positionals[0]!);
  const result = loadConfig(file);
  if (!result.ok) {
    io.err(`${parsed.positionals[0]}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}\n`);
    for (const error of result.errors) io.err(`  ${formatConfigError(error)}\n`);
    return 1;
  }
  io.out(`${parsed.positionals[0]}: valid. With this config ghostguard will:\n`);
  for (const line of describeConfig(result.config)) io.out(`  - ${line}\n`);
  return 0;
}
