/**
 * The guard under test in `npm run bench:flood`: the compiled build (dist/) started as
 * `ghostguard run` starts it (config file, store file, event tap), minus the dashboard, in its own
 * process so that its RSS can be read from /proc/PID/status and its CPU profiled.
 *
 *   node bench/flood/guard-child.mjs CONFIG_FILE
 * stdout: "READY {json}" once listening; then one "STATS {json}" line (Guard.stats() and
 * process.memoryUsage()) per "stats" line read on stdin. Ends on SIGTERM/SIGINT or stdin's end.
 * Plain JavaScript on purpose: run by node without tsx, so it times exactly the tsc output.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../dist/config/load-config.js';
import { openStore } from '../../dist/store/open-store.js';
import { eventOptionsFromConfig } from '../../dist/store/event-options-from-config.js';
import { tapEvents } from '../../dist/web/event-tap.js';
import { Guard } from '../../dist/proxy/guard.js';
import { consoleLogger } from '../../dist/cli/console-logger.js';
import { systemClock } from '../../dist/util/clock.js';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: node bench/flood/guard-child.mjs CONFIG_FILE');
  process.exit(2);
}
const result = loadConfig(file);
if (!result.ok) {
  console.error(`guard-child: bad config ${file}: ${JSON.stringify(result.errors)}`);
  process.exit(2);
}
const config = result.config;
const logger = consoleLogger((line) => process.stderr.write(line), 'warn');
const store = openStore(config.store, { clock: systemClock, events: eventOptionsFromConfig(config.events) });
const tap = tapEvents(store, (error) => logger.error('a live event listener failed', { error: String(error) }));
const guard = new Guard(config, { logger, store: tap.store });
await guard.start();
process.stdout.write(`READY ${JSON.stringify({ status: guard.status(), pid: process.pid })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await guard.stop();
  store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') {
    process.stdout.write(`STATS ${JSON.stringify({ guard: guard.stats(), memory: process.memoryUsage(), bans: guard.bans.list().length })}\n`);
  }
});
lines.on('close', () => void stop());
