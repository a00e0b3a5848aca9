/** The `ghostguard` command: dispatches argv to a command. Returns the exit status. */
import type { CliIo } from './io.js';
import { parseCommand } from './commands/parse.js';
import { checkConfigCommand } from './commands/check-config.js';
import { runCommand } from './commands/run.js';
import { eventsCommand } from './commands/events.js';
import { classifyCommand } from './commands/classify.js';
import { demoCommand } from './commands/demo.js';
import { bansCommand } from './commands/bans.js';
import { analyzeCommand } from './commands/analyze.js';
import { alertsCommand } from './commands/alerts.js';
import { firewallCommand } from './commands/firewall.js';
import { blocklistCommand } from './commands/blocklist.js';
import { probeCommand } from './commands/probe.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  demo: { run: demoCommand, summary: 'the real guard with a simulated provider, phone and scanners on loopback (npm start)' },
  run: { run: runCommand, summary: 'run the guard: ghostguard run --config FILE' },
  'check-config': { run: checkConfigCommand, summary: 'validate a config file and print what the guard would do' },
  events: { run: eventsCommand, summary: 'list recent blocked requests and why they were blocked' },
  bans: { run: bansCommand, summary: 'list, add and remove bans of a running guard (through its API)' },
  probe: { run: probeCommand, summary: 'the self-test: would this address ring for a ghost call? ghostguard probe HOST[:PORTS]' },
  analyze: { run: analyzeCommand, summary: 'explain the calls in packet captures: real, ghost (and from which scanner), did the phone ring' },
  classify: { run: classifyCommand, summary: 'name the scanner behind raw SIP messages and show what the guard would do' },
  parse: { run: parseCommand, summary: 'parse raw SIP messages and show what ghostguard reads from them' },
  firewall: { run: firewallCommand, summary: 'print router rules that let SIP reach the phones only from the provider' },
  blocklist: { run: blocklistCommand, summary: 'import a scanner blocklist into the bans, or export the scanners seen' },
  alerts: { run: alertsCommand, summary: 'send a test alert to every configured channel: ghostguard alerts test --config FILE' },
};

/** Commands the design promises that are not built yet: said plainly instead of "unknown command". */
const planned: Record<string, string> = {
  init: 'write a commented config after asking a few questions',
};

export function helpText(): string {
  const width = Math.max(...Object.keys({ ...commands, ...planned }).map((name) => name.length));
  const lines = ['ghostguard — ends SIP ghost calls', '', 'Usage: ghostguard COMMAND [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(commands)) lines.push(`  ${name.padEnd(width)}  ${summary}`);
  lines.push('', 'Coming in later versions:');
  for (const [name, summary] of Object.entries(planned)) lines.push(`  ${name.padEnd(width)}  ${summary}`);
  lines.push('', 'Run `ghostguard COMMAND --help` for a command\'s options.');
  return `${lines.join('\n')}\n`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText());
    return 0;
  }
  if (name === '--version' || name === 'version') {
    io.out('ghostguard 0.1.0\n');
    return 0;
  }
  const command = commands[name];
  if (command) return command.run(rest, io);
  const later = planned[name];
  if (later !== undefined) {
    io.out(`ghostguard ${name} is not built yet: ${later}.\n\n${helpText()}`);
    return 2;
  }
  io.err(`ghostguard: unknown command '${name}'\n\n${helpText()}`);
  return 2;
}
