/**
 * `ghostguard run --config FILE`: the guard. Validates the config (every problem at once, located),
 * starts both legs, logs where it listens and whom it trusts, and runs until Ctrl-C or SIGTERM, then
 * stops cleanly (listeners closed, events flushed to the store).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { Guard } from '../../proxy/guard.js';
import { consoleLogger, isLogLevel } from '../console-logger.js';
import type { CliIo } from '../io.js';

export const runUsage = `Usage: ghostguard run --config FILE [--log-level debug|info|warn|error]

Runs the guard with the given config (see \`ghostguard check-config\`). Phones register through
its LAN leg; only the provider's calls for those registrations reach them. Stop with Ctrl-C.`;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`ghostguard run: ${(error as Error).message}\n${runUsage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`${runUsage}\n`);
    return 0;
  }
  const level = parsed.values['log-level']!;
  if (!isLogLevel(level)) {
    io.err(`ghostguard run: --log-level must be debug, info, warn or error\n`);
    return 2;
  }
  if (parsed.values.config === undefined) {
    io.err(`ghostguard run: --config FILE is required\n${runUsage}\n`);
    return 2;
  }
  const file = resolve(io.cwd, parsed.values.config);
  const result = loadConfig(file);
  if (!result.ok) {
    io.err(`${parsed.values.config}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}; the guard did not start\n`);
    for (const error of result.errors) io.err(`  ${formatConfigError(error)}\n`);
    return 1;
  }
  const logger = consoleLogger((line) => io.err(line), level);
  const guard = new Guard(result.config, { logger });
  try {
    await guard.start();
  } catch (error) {
    logger.error('the guard could not start', { error: (error as Error).message });
    return 1;
  }
  const status = guard.status();
  io.out(`ghostguard is running. WAN port ${status.wanPort}; LAN ${status.lan}. Stop with Ctrl-C.\n`);
  const signal = await io.untilStopped();
  logger.info('stopping', { signal });
  await guard.stop();
  return 0;
}
