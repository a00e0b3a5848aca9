/**
 * `ghostguard run --config FILE`: the guard. Validates the config (every problem at once, located),
 * starts both legs and the dashboard (`dashboard.listen`; off loopback only with `dashboard.token`),
 * logs where it listens and whom it trusts, and runs until Ctrl-C or SIGTERM, then stops cleanly
 * (dashboard and listeners closed, events flushed to the store).
 */
import { resolve } from 'node:path';
import { formatConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { startAlerts } from '../../alerts/start-alerts.js';
import { Guard } from '../../proxy/guard.js';
import { eventOptionsFromConfig } from '../../store/event-options-from-config.js';
import { openStore } from '../../store/open-store.js';
import { systemClock } from '../../util/clock.js';
import { authSetup } from '../../web/auth.js';
import { tapEvents } from '../../web/event-tap.js';
import { startDashboard } from '../../web/start-dashboard.js';
import { consoleLogger, isLogLevel } from '../console-logger.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';

export const runUsage = `Usage: ghostguard run --config FILE [--log-level debug|info|warn|error]

Runs the guard with the given config (see \`ghostguard check-config\`). Phones register through
its LAN leg; only the provider's calls for those registrations reach them. Stop with Ctrl-C.`;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('run', runUsage, args, io, {
    options: {
      config: { type: 'string', short: 'c' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const level = parsed.values['log-level']!;
  if (!isLogLevel(level)) {
    io.err(`ghostguard run: --log-level must be debug, info, warn or error\n`);
    return 2;
  }
  if (parsed.values.config === undefined) return parsed.usageError('--config FILE is required');
  const file = resolve(io.cwd, parsed.values.config);
  const result = loadConfig(file);
  if (!result.ok) {
    io.err(`${parsed.values.config}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}; the guard did not start\n`);
    for (const error of result.errors) io.err(`  ${formatConfigError(error)}\n`);
    return 1;
  }
  const logger = consoleLogger((line) => io.err(line), level);
  const config = result.config;
  const auth = authSetup(config.dashboard.listen.address, config.dashboard.token);
  if (!auth.ok) {
    io.err(`${parsed.values.config}: ${auth.message}; the guard did not start\n`);
    return 1;
  }
  let store;
  try {
    store = openStore(config.store, { clock: systemClock, events: eventOptionsFromConfig(config.events) });
  } catch (error) {
    logger.error('the guard could not open its store', { error: (error as Error).message });
    return 1;
  }
  const tap = tapEvents(store, (error) => logger.error('a live event listener failed', { error: String(error) }));
  const guard = new Guard(config, { logger, store: tap.store });
  try {
    try {
      await guard.start();
    } catch (error) {
      logger.error('the guard could not start', { error: (error as Error).message });
      return 1;
    }
    let dashboard;
    try {
      dashboard = await startDashboard({
        guard,
        tap,
        clock: systemClock,
        logger,
        listen: { address: config.dashboard.listen.address, port: config.dashboard.listen.port },
        token: config.dashboard.token,
      });
    } catch (error) {
      logger.error('the dashboard could not start', { error: (error as Error).message });
      await guard.stop();
      return 1;
    }
    logger.info(`dashboard and API at ${dashboard.url}`, { url: dashboard.url });
    const alerts = startAlerts(config, guard, { env: io.env, logger, events: tap.store.events });
    const status = guard.status();
    io.out(`ghostguard is running. WAN port ${status.wanPort}; LAN ${status.lan}; dashboard ${dashboard.url}. Stop with Ctrl-C.\n`);
    const signal = await io.untilStopped();
    logger.info('stopping', { signal });
    await alerts?.stop();
    await dashboard.server.stop();
    await guard.stop();
    return 0;
  } finally {
    store.close();
  }
}
