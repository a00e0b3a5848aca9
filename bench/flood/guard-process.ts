/**
 * The ghostguard child of `npm run bench:flood` (guard-child.mjs on dist/) inside its namespace:
 * writes its config, starts it, asks it for Guard.stats(), reads its RSS from /proc/PID/status.
 *
 * Config: the product's defaults (silent drop; `defense:` rate limits and bans on) unless `defense`
 * YAML is given; WAN 127.0.0.4:5080, LAN 127.0.0.3:5060 (phones from 127.0.0.0/24), provider
 * 127.0.0.2:5060; UDP only; the store is a file in the run's temp folder, as in production.
 */
import { type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Netns } from './netns.js';

export const GUARD_WAN = { address: '127.0.0.4', port: 5080 };
export const GUARD_LAN = { address: '127.0.0.3', port: 5060 };
export const PROVIDER = { address: '127.0.0.2', port: 5060 };

const CHILD = fileURLToPath(new URL('./guard-child.mjs', import.meta.url));
const FLOOR = fileURLToPath(new URL('./floor-child.mjs', import.meta.url));

/** Bans and rate limits out of reach: every datagram takes the parse + gate path. */
export const NO_BANS_YAML = [
  'defense:',
  '  rate:',
  '    requests_per_second: 1000000',
  '    burst: 10000000',
  '  bans:',
  '    flood_s: 86400',
  '    refused: 1000000',
].join('\n');

export interface GuardSnapshot {
  readonly guard: { messages: Record<string, number>; verdicts: Record<string, number>; drops: Record<string, number>; delivered: number };
  readonly bans: number;
}

export class GuardProcess {
  private buffer = '';
  private waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  readonly output: string[] = [];

  private constructor(readonly child: ChildProcess, readonly pid: number) {
    child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const w = this.waiters.findIndex((x) => line.startsWith(x.prefix));
        if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve(line);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (this.output.length < 200) this.output.push(d.toString('utf8'));
    });
  }

  /** `readers`: `wan.readers` (null: the config's default, auto). */
  static async start(ns: Netns, dir: string, defenseYaml: string | null, nodeArgs: readonly string[] = [], readers: string | null = null): Promise<GuardProcess> {
    const config = join(dir, 'ghostguard.yaml');
    writeFileSync(
      config,
      [
        'provider:',
        `  domain: ${PROVIDER.address}`,
        `  registrar: ${PROVIDER.address}:${PROVIDER.port}`,
        'wan:',
        `  listen: ${GUARD_WAN.address}:${GUARD_WAN.port}`,
        '  transports: [udp]',
        ...(readers === null ? [] : [`  readers: ${readers}`]),
        'lan:',
        `  listen: ${GUARD_LAN.address}:${GUARD_LAN.port}`,
        '  transports: [udp]',
        '  allow: [127.0.0.0/24]',
        `store: ${join(dir, 'ghostguard.db')}`,
        ...(defenseYaml === null ? [] : [defenseYaml]),
        '',
      ].join('\n'),
    );
    return GuardProcess.spawn(ns, [...nodeArgs, CHILD, config]);
  }

  /** The floor (floor-child.mjs): a bare node:dgram socket on the guard's WAN address that only counts. */
  static floor(ns: Netns, receiveBuffer: number): Promise<GuardProcess> {
    return GuardProcess.spawn(ns, [FLOOR, GUARD_WAN.address, String(GUARD_WAN.port), String(receiveBuffer)]);
  }

  private static async spawn(ns: Netns, nodeArgv: readonly string[]): Promise<GuardProcess> {
    const child = ns.spawn(process.execPath, nodeArgv, true);
    const early = new GuardProcess(child, -1);
    const ready = await Promise.race([
      early.next('READY '),
      new Promise<string>((_, reject) => child.once('exit', (code) => reject(new Error(`bench:flood: the guard exited (${code}): ${early.output.join('')}`)))),
      new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`bench:flood: the guard did not start: ${early.output.join('')}`)), 30_000)),
    ]);
    const pid = (JSON.parse(ready.slice(6)) as { pid: number }).pid;
    return Object.assign(early, { pid }) as GuardProcess;
  }

  private next(prefix: string, timeoutMs = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench:flood: no "${prefix}" from the guard`)), timeoutMs);
      this.waiters.push({ prefix, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }

  async stats(): Promise<GuardSnapshot> {
    const line = this.next('STATS ');
    this.child.stdin!.write('stats\n');
    return JSON.parse((await line).slice(6)) as GuardSnapshot;
  }

  /**
   * Memory of the guard and its WAN reader processes (its child processes), KiB: `rssKiB` and
   * `hwmKiB` summed over the processes (each counts the pages of Node's own code, which they share);
   * `guardHwmKiB` the guard's own peak and `readersAnonKiB` the readers' private memory (RssAnon),
   * so that guard peak + readers' private memory counts the shared code once; `pssKiB` (Pss: shared
   * pages split between the processes that share them) summed.
   */
  memory(): { rssKiB: number; hwmKiB: number; pssKiB: number; guardHwmKiB: number; readersAnonKiB: number; processes: number } {
    const pids = [this.pid, ...childrenOf(this.pid)];
    const m = { rssKiB: 0, hwmKiB: 0, pssKiB: 0, guardHwmKiB: 0, readersAnonKiB: 0, processes: pids.length };
    for (const pid of pids) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        m.rssKiB += kib(status, 'VmRSS');
        m.hwmKiB += kib(status, 'VmHWM');
        if (pid === this.pid) m.guardHwmKiB = kib(status, 'VmHWM');
        else m.readersAnonKiB += kib(status, 'RssAnon');
        m.pssKiB += kib(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
      } catch {
        // ended meanwhile
      }
    }
    return m;
  }

  /** SIGTERM by PID (the guard flushes its store), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      // gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
}

function kib(text: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
}

/** Child process ids of `pid` (its main thread's children: the guard forks its readers from it). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Sum of the guard's WAN message counters (every datagram it read on the WAN leg and handled). */
export function wanMessages(s: GuardSnapshot): number {
  return Object.entries(s.guard.messages)
    .filter(([k]) => k.startsWith('wan '))
    .reduce((sum, [, v]) => sum + v, 0);
}
