/**
 * `ghostguard alerts test --config FILE`: sends a test alert to every channel of the config's
 * `alerts:` section (each webhook, the email recipients) and says per channel whether it got through,
 * with the far end's answer or the reason it failed. Exit 0 when every channel worked, 1 when not.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { channelsFromConfig } from '../../alerts/channels-from-config.js';
import { testAlert } from '../../alerts/test-alert.js';
import { formatConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';

export const alertsUsage = `Usage: ghostguard alerts test --config FILE [--timeout SECONDS]

Sends a test alert to every channel in the config's alerts: section (webhooks, email) and
reports, per channel, whether it got through and what the far end answered.
  --timeout SECONDS  per network step (default: webhook 10, SMTP 30)
Exit status: 0 when every channel worked, 1 when one did not (or none is configured), 2 on usage errors.`;

export async function alertsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('alerts', alertsUsage, args, io, {
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      timeout: { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'test') return usage('the only subcommand is "test"');
  if (v.config === undefined) return usage('--config FILE is required');
  let timeoutMs: number | undefined;
  if (v.timeout !== undefined) {
    const s = Number(v.timeout);
    if (!Number.isFinite(s) || s <= 0 || s > 300) return usage('--timeout takes seconds, more than 0 and at most 300');
    timeoutMs = Math.round(s * 1000);
  }
  const result = loadConfig(resolve(io.cwd, v.config));
  if (!result.ok) {
    io.err(`${v.config}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}\n`);
    for (const error of result.errors) io.err(`  ${formatConfigError(error)}\n`);
    return 1;
  }
  const built = channelsFromConfig(result.config.alerts, { env: io.env, ...(timeoutMs ? { timeoutMs } : {}) });
  if (!built.ok) {
    io.err(`${v.config}: ${built.error}\n`);
    return 1;
  }
  if (built.channels.length === 0) {
    io.err(`${v.config}: no alert channels are configured (add alerts.webhooks or alerts.email); nothing to test\n`);
    return 1;
  }
  io.out(`Sending a test alert to ${built.channels.length} channel${built.channels.length === 1 ? '' : 's'}...\n`);
  const alert = testAlert(Date.now(), hostname());
  const outcomes = await Promise.allSettled(built.channels.map((c) => c.deliver(alert)));
  let failed = 0;
  outcomes.forEach((outcome, i) => {
    const name = built.channels[i]!.name;
    if (outcome.status === 'fulfilled') {
      io.out(`  ok      ${name}: ${outcome.value}\n`);
    } else {
      failed++;
      io.out(`  FAILED  ${name}: ${(outcome.reason as Error).message}\n`);
    }
  });
  io.out(
    failed === 0
      ? 'Every channel got the test alert. Check that it arrived where you expect it.\n'
      : `${failed} of ${built.channels.length} channel${built.channels.length === 1 ? '' : 's'} did not get the test alert.\n`,
  );
  return failed === 0 ? 0 : 1;
}
