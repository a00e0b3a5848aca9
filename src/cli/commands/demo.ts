/**
 * `ghostguard demo` (also `npm start`): the real guard with a simulated provider, phone and scanners,
 * all on loopback (`src/lab`): no root, no config, no network. Prints what runs where, the lab's
 * happenings and a running tally (redrawn in place on a terminal, a line every few seconds otherwise),
 * and on Ctrl-C — or after `--duration` — stops everything and prints a summary with some of the
 * guard's own explanations.
 */
import { resolve } from 'node:path';
import { DemoLab, type LabPlan } from '../../lab/demo-lab.js';
import type { LabTally } from '../../lab/lab-tally.js';
import { describeEvent, planLines, tallyLine, tallyLines } from '../../lab/lab-words.js';
import { SCANNER_FAMILIES } from '../../lab/scanners/families.js';
import { SCANNER_IDS, type ScannerId } from '../../lab/scanners/scanner-id.js';
import { MEMORY_STORE, openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { systemClock, type TimerHandle } from '../../util/clock.js';
import { tapEvents } from '../../web/event-tap.js';
import { startDashboard } from '../../web/start-dashboard.js';
import type { WebServer } from '../../web/web-server.js';
import { consoleLogger, isLogLevel } from '../console-logger.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';

export const demoUsage = `Usage: ghostguard demo [options]

Runs the real guard on loopback addresses (127.0.0.2 …) with a simulated provider that calls a
simulated phone, and simulated scanners (SIPVicious, Nmap, SIPPTS, Metasploit, toll-fraud dialers,
an INVITE flood) aiming at the guard. Needs no root, no config and no network. Stop with Ctrl-C.
  --duration SECONDS  stop by itself after this long
  --seed N            seed of the simulated randomness (the same scanner messages again)
  --lang en|ja        language of the guard's explanations in the summary (default en)
  --store FILE        keep the guard's events in FILE (see \`ghostguard events --store FILE\`);
                      default: in memory
  --quiet             print only the final summary
  --dashboard-port N  the dashboard's port on 127.0.0.1 (default 8080, or the next free one)
  --no-dashboard      no dashboard; this terminal keeps the score
  --log-level LEVEL   the guard's log on stderr: debug, info, warn (default) or error`;

/** The dashboard's address, and how many ports from the first one are tried when it is taken. */
const DASHBOARD_ADDRESS = '127.0.0.1';
const DASHBOARD_PORT = 8080;
const DASHBOARD_TRIES = 20;

/** How often the tally is redrawn on a terminal, and printed otherwise. */
const TTY_REFRESH_MS = 250;
const LINE_EVERY_MS = 5_000;
/** Explanations shown in the summary, from these scanners first. */
const EXPLAINED: readonly ScannerId[] = ['dialer', 'svcrack', 'flood', 'svmap', 'nmap'];
const EXPLAINED_MAX = 4;

interface DemoArgs {
  readonly durationMs: number | null;
  readonly seed: number | undefined;
  readonly lang: 'en' | 'ja';
  readonly store: string;
  readonly quiet: boolean;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** null: no dashboard. */
  readonly dashboardPort: number | null;
}

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseDemoArgs(args, io);
  if (typeof parsed === 'number') return parsed;
  let store: Store;
  try {
    store = openStore(parsed.store, { clock: systemClock });
  } catch (error) {
    io.err(`ghostguard demo: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    return await runDemo(parsed, store, io);
  } finally {
    store.close();
  }
}

async function runDemo(args: DemoArgs, store: Store, io: CliIo): Promise<number> {
  const logger = consoleLogger((line) => io.err(line), args.logLevel);
  const tap = tapEvents(store, (error) => logger.error('a live event listener failed', { error: String(error) }));
  const lab = new DemoLab({ store: tap.store, logger, ...(args.seed === undefined ? {} : { seed: args.seed }) });
  const started = systemClock.now();
  const elapsed = (): string => clockText(systemClock.now() - started);
  const screen = args.quiet ? null : io.isTTY ? new LiveBlock(io) : new PlainLines(io, () => tallyLine(lab.tally()), elapsed);
  // Happenings from the first moment on; those before the intro is out wait for it.
  let early: string[] | null = [];
  const unsubscribe = lab.subscribe((event) => {
    const line = describeEvent(event);
    if (line === null || screen === null) return;
    if (early !== null) early.push(`${elapsed()}  ${line}`);
    else screen.log(`${elapsed()}  ${line}`);
  });
  let plan: LabPlan;
  try {
    plan = await lab.start();
  } catch (error) {
    unsubscribe();
    io.err(`ghostguard demo: the lab could not start: ${(error as Error).message}\n`);
    return 1;
  }
  let dashboard: { server: WebServer; url: string } | null = null;
  if (args.dashboardPort !== null) {
    try {
      dashboard = await startDashboard({
        guard: lab.guard,
        tap,
        lab,
        clock: systemClock,
        logger,
        listen: { address: DASHBOARD_ADDRESS, port: args.dashboardPort },
        token: null,
        tries: args.dashboardPort === 0 ? 1 : DASHBOARD_TRIES,
      });
    } catch (error) {
      io.err(`ghostguard demo: no dashboard: ${(error as Error).message}\n`);
    }
  }
  if (screen !== null) io.out(intro(plan, args, dashboard?.url ?? null));
  for (const line of early) screen?.log(line);
  early = null;
  screen?.start(() => tallyLines(lab.tally()));

  let timer: TimerHandle | undefined;
  const stopped = await Promise.race([
    io.untilStopped(),
    new Promise<string>((done) => {
      if (args.durationMs !== null) timer = systemClock.setTimeout(() => done('duration'), args.durationMs);
    }),
  ]);
  timer?.cancel();
  screen?.finish();
  unsubscribe();
  await dashboard?.server.stop();
  await lab.stop();
  const seconds = Math.round((systemClock.now() - started) / 1000);
  io.out(summary(lab.tally(), store, plan, args.lang, stopped === 'duration' ? `after ${seconds} s` : `on ${stopped} after ${seconds} s`));
  return 0;
}

function parseDemoArgs(args: string[], io: CliIo): DemoArgs | number {
  const parsed = parseCommandArgs('demo', demoUsage, args, io, {
    options: {
      duration: { type: 'string' },
      seed: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      store: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'log-level': { type: 'string', default: 'warn' },
      'dashboard-port': { type: 'string' },
      'no-dashboard': { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  const duration = v.duration === undefined ? null : Number(v.duration);
  if (duration !== null && !(Number.isFinite(duration) && duration > 0 && duration <= 86_400)) return usage('--duration takes a number of seconds from 1 to 86400');
  const seed = v.seed === undefined ? undefined : Number(v.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) return usage('--seed takes a whole number from 0 to 4294967295');
  if (v.lang !== 'en' && v.lang !== 'ja') return usage('--lang must be en or ja');
  const level = v['log-level']!;
  if (!isLogLevel(level)) return usage('--log-level must be debug, info, warn or error');
  const portText = v['dashboard-port'];
  const port = portText === undefined ? DASHBOARD_PORT : Number(portText);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535) || (portText !== undefined && !/^[0-9]+$/.test(portText))) {
    return usage('--dashboard-port takes a port number from 0 to 65535 (0: any free port)');
  }
  if (portText !== undefined && v['no-dashboard']) return usage('--dashboard-port and --no-dashboard do not go together');
  return {
    durationMs: duration === null ? null : Math.round(duration * 1000),
    seed,
    lang: v.lang,
    store: v.store === undefined ? MEMORY_STORE : resolve(io.cwd, v.store),
    quiet: v.quiet === true,
    logLevel: level,
    dashboardPort: v['no-dashboard'] ? null : port,
  };
}

function intro(plan: LabPlan, args: DemoArgs, dashboard: string | null): string {
  const lines = [
    'ghostguard demo: the real guard, with a simulated provider, phone and scanners, all on loopback.',
    '',
    ...planLines(plan).map((l) => `  ${l}`),
    dashboard === null ? '  dashboard  none (this terminal keeps the score)' : `  dashboard  ${dashboard}  (open it in a browser)`,
    `  seed       ${plan.seed} (ghostguard demo --seed ${plan.seed} sends the same scanner messages again)`,
    '',
    args.durationMs === null ? 'Stop with Ctrl-C.' : `Stops by itself after ${args.durationMs / 1000} s (or Ctrl-C).`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function summary(t: LabTally, store: Store, plan: LabPlan, lang: 'en' | 'ja', when: string): string {
  const c = t.providerCalls;
  const answers = SCANNER_IDS.reduce((n, id) => n + t.scanners[id].answered, 0);
  const lines = [
    '',
    `Stopped ${when}: the guard, the provider, the phone and the scanners are closed.`,
    '',
    `  provider calls  ${c.placed} placed · ${c.rang} rang the phone · ${c.answered} answered · ${c.cancelled} cancelled${c.failed > 0 ? ` · ${c.failed} failed` : ''}${c.inProgress > 0 ? ` · ${c.inProgress} still on when stopped` : ''}`,
    `  ghost calls     ${t.ghostCalls.rang} rang the phone · ${t.ghostCalls.blocked} requests blocked · scanners got ${answers} answers`,
    '',
    `  ${'scanner'.padEnd(22)}${'sent'.padStart(6)}${'blocked'.padStart(9)}`,
  ];
  for (const id of SCANNER_IDS) {
    const s = t.scanners[id];
    lines.push(`  ${SCANNER_FAMILIES[id].name.padEnd(22)}${String(s.sent).padStart(6)}${String(s.blocked).padStart(9)}`);
  }
  const reasons = Object.entries(t.blockedByReason).map(([reason, n]) => `${reason} ${n}`);
  if (reasons.length > 0) lines.push('', `  blocked because: ${reasons.join(', ')}`);
  const explained = explanations(store, plan, lang);
  if (explained.length > 0) {
    lines.push('', `What the guard wrote down (a few of its explanations${lang === 'en' ? '; --lang ja for Japanese' : ''}):`);
    lines.push(...explained);
  }
  return `${lines.join('\n')}\n`;
}

/** The newest event of a few scanners, with its explanation, as the guard stored it. */
function explanations(store: Store, plan: LabPlan, lang: 'en' | 'ja'): string[] {
  const lines: string[] = [];
  let shown = 0;
  for (const id of EXPLAINED) {
    const scanner = plan.scanners.find((s) => s.id === id);
    const [event] = scanner === undefined ? [] : store.events.query({ source: scanner.address.address, limit: 1 }).events;
    if (scanner === undefined || event === undefined || shown === EXPLAINED_MAX) continue;
    shown++;
    // A row stands for every request of its source and reason in one window; it keeps the first one's words.
    const what = event.count > 1 ? `${event.count} requests (the first: ${event.method ?? 'unreadable'})` : (event.method ?? 'a message');
    lines.push('', `  ${SCANNER_FAMILIES[id].name} from ${scanner.address.address}: ${what} [${event.reasons.join(', ')}]`);
    const text = event.explanation[lang];
    lines.push(...(lang === 'en' ? wrap(text, 74) : [text]).map((l) => `    ${l}`));
  }
  return lines;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length === 0 ? word : `${line} ${word}`;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

function clockText(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

interface Screen {
  log(line: string): void;
  start(tally: () => string[]): void;
  finish(): void;
}

/** A terminal: happenings scroll up, the tally stays at the bottom, redrawn in place. */
class LiveBlock implements Screen {
  readonly #io: CliIo;
  #drawn = 0;
  #tally: (() => string[]) | undefined;
  /** The tally as drawn last (redrawn only when it changed). */
  #shown = '';
  #timer: TimerHandle | undefined;

  constructor(io: CliIo) {
    this.#io = io;
  }

  log(line: string): void {
    this.#io.out(`${this.#erase()}${line}\n${this.#block()}`);
  }

  start(tally: () => string[]): void {
    this.#tally = tally;
    const tick = (): void => {
      const text = this.#tally?.().join('\n');
      if (text !== this.#shown) this.#io.out(`${this.#erase()}${this.#block()}`);
      this.#timer = systemClock.setTimeout(tick, TTY_REFRESH_MS);
    };
    tick();
  }

  finish(): void {
    this.#timer?.cancel();
    this.#tally = undefined;
    this.#io.out(this.#erase());
  }

  /** Moves up over the block drawn last and clears to the end of the screen (ECMA-48 CPL, ED). */
  #erase(): string {
    const up = this.#drawn;
    this.#drawn = 0;
    return up === 0 ? '' : `\x1b[${up}F\x1b[J`;
  }

  #block(): string {
    if (this.#tally === undefined) return '';
    const tally = this.#tally();
    this.#shown = tally.join('\n');
    const lines = ['', ...tally.map((l) => `  ${l}`)];
    this.#drawn = lines.length;
    return `${lines.join('\n')}\n`;
  }
}

/** Not a terminal (a pipe, a CI log): happenings line by line, the tally every few seconds. */
class PlainLines implements Screen {
  readonly #io: CliIo;
  readonly #line: () => string;
  readonly #elapsed: () => string;
  #timer: TimerHandle | undefined;

  constructor(io: CliIo, line: () => string, elapsed: () => string) {
    this.#io = io;
    this.#line = line;
    this.#elapsed = elapsed;
  }

  log(line: string): void {
    this.#io.out(`${line}\n`);
  }

  start(): void {
    const tick = (): void => {
      this.#io.out(`${this.#elapsed()}  ${this.#line()}\n`);
      this.#timer = systemClock.setTimeout(tick, LINE_EVERY_MS);
    };
    this.#timer = systemClock.setTimeout(tick, LINE_EVERY_MS);
  }

  finish(): void {
    this.#timer?.cancel();
  }
}
