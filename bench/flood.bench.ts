/**
 * `npm run bench:flood` — ghostguard against Kamailio 5.6 under a scanner flood (issue 6).
 *
 * Each server runs alone in its own network namespace (loopback only), so the kernel's UDP counters
 * there count only this bench's traffic. One sender (bench/flood/sender.c, raw socket, spoofed
 * sources in 127.64.0.0/12, a mix of real scanner shapes and unknown-UA INVITEs/OPTIONS) floods
 * each at rising rates, servers interleaved at every rate. Per step:
 *
 *   loss = ΔInErrors / sent       (/proc/net/snmp `Udp:` inside the server's namespace)
 *
 * The sender shares the machine's cores with the server: a server that takes the CPU the sender
 * needs slows the flood down and would be offered less than the rate. So a step whose sender fell
 * more than SHORTFALL_TOLERANCE (5%) short of the rate counts that shortfall as loss when it is
 * larger (the `judged` loss; on a real network the scanner is another machine and would not slow).
 *
 * InErrors already includes RcvbufErrors (the kernel counts a full receive buffer under both), so
 * the two are not added. Cross-checks: ΔInDatagrams (datagrams the server read), the server's own
 * count (Kamailio: its 404s = ΔOutDatagrams, the only UDP sender in its namespace; ghostguard: the
 * WAN messages of Guard.stats()), and the per-socket drop counter (`ss -uamn`, skmem d).
 * Every server's socket gets the same receive buffer: ghostguard asks for UDP_RECEIVE_BUFFER (4 MiB,
 * src/transport/udp-transport.ts), Kamailio's buffer probing stops at the same (maxbuffer), the
 * floor asks for the same; the kernel grants each min(ask, net.core.rmem_max), doubled. The bench
 * reads what each got (`ss`, rb) and refuses to run when they differ.
 *
 * Servers: Kamailio (`-x tlsf -X tlsf`, children=2, drops friendly-scanner|sipvicious|sipcli by
 * User-Agent, answers everything else 404 statelessly); ghostguard with its default config
 * (silent drop, rate limits and bans on); ghostguard with bans and rate limits out of reach (the
 * parse + gate path for every datagram). Then: RSS of a fresh default guard under a flood from
 * 1,000,000 distinct sources, and legit provider calls through a fresh guard during a 50,000/s flood.
 *
 *   npm run bench:flood -- [--quick] [--json] [--rates 5000,10000,...] [--step-seconds N] [--repeats N] [--sources CIDR] [--profile] [--floor] [--skip-extras] [--readers N]
 *
 *   --profile      run the bans-off guard under `node --cpu-prof`; print its top functions and modules
 *   --repeats N    steps per rate and server, interleaved; the median loss decides (default 3, quick 1)
 *   --floor        also flood a bare node:dgram socket that only counts (the ceiling of one Node thread)
 *   --sources CIDR where the rate series' spoofed sources come from (default 127.64.0.0/12: about a
 *                  million, so per-source bans rarely trigger; a /24 shows the ban path at work)
 *   --skip-extras  skip the 1M-source RSS run and the legit-calls run
 *   --readers N    the guards' wan.readers (default: the config's default, auto: one per core)
 *
 * Needs root (namespaces, raw socket), gcc, kamailio, ip, ss. Every flood is bounded in count and
 * time (sender.c); every namespace and child is removed/ended by PID at the end, also on Ctrl-C.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { buildDistIfStale } from './flood/dist-build.js';
import { GUARD_WAN, GuardProcess, NO_BANS_YAML, wanMessages } from './flood/guard-process.js';
import { KAMAILIO_ADDRESS, KAMAILIO_PORT, kamailioVersion, startKamailio } from './flood/kamailio.js';
import { Netns, type UdpCounters } from './flood/netns.js';
import { topFunctions, topModules, type HotFunction } from './flood/profile-summary.js';
import { buildSender, runFlood, type FloodSpec, type SendResult } from './flood/sender.js';
import { writeTemplates } from './flood/templates.js';
import { UDP_RECEIVE_BUFFER } from '../src/transport/udp-transport.js';

const LOSS_LIMIT = 0.01;
/** What ghostguard's UDP sockets ask for; Kamailio and the floor are given the same. */
const RECEIVE_BUFFER = UDP_RECEIVE_BUFFER;
const RATE_SOURCES = '127.64.0.0/12';
const MILLION_SOURCES = '127.64.0.0/10';
const RSS_TARGET_MB = 200;
const WARMUP_RATE = 5_000;
/** The 1M-source flood runs at a rate the guard can read nearly whole (see BENCHMARKS), so that it really meets a million sources. */
const RSS_RATE = 10_000;
const DEFAULT_RATES = [5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000, 150_000];
const QUICK_RATES = [10_000, 40_000, 80_000];

type ServerName = 'kamailio' | 'ghostguard' | 'ghostguard-nobans' | 'node-dgram-floor';

interface Server {
  readonly name: ServerName;
  readonly ns: Netns;
  readonly target: { address: string; port: number };
  readonly guard: GuardProcess | null;
  readonly kamailio: ChildProcess | null;
  overLimit: number;
  done: boolean;
}

interface Step {
  readonly server: ServerName;
  readonly rate: number;
  readonly send: SendResult;
  readonly achieved: number;
  readonly read: number;
  readonly dropped: number;
  readonly rcvbufErrors: number;
  readonly socketDrops: number;
  readonly loss: number;
  /** Kamailio: 404s it sent; ghostguard: WAN datagrams it handled (Guard.stats()). */
  readonly serverCount: number;
  /** CPU seconds the server's processes used during the step, per second of flood (1.0 = one core). */
  readonly cpu: number;
  /** ghostguard: the part of `cpu` its main process used (the rest is its WAN readers'). */
  readonly guardCpu: number | null;
  readonly loadavg: string;
}

const log = { on: true, line: (s: string) => log.on && console.log(s) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const delta = (a: UdpCounters, b: UdpCounters, key: string) => (b[key] ?? 0) - (a[key] ?? 0);

async function waitForSocket(ns: Netns, local: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = ns.sockets()[local];
    if (s !== undefined) return s.rb;
    if (Date.now() > deadline) throw new Error(`bench:flood: nothing listens on udp ${local} in ${ns.name}`);
    await sleep(100);
  }
}

/** Waits until the server has read what it will read: InDatagrams still for 300 ms (at most 3 s). */
async function drained(ns: Netns): Promise<UdpCounters> {
  let last = ns.udp();
  let stillSince = Date.now();
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    await sleep(100);
    const now = ns.udp();
    if (now['InDatagrams'] !== last['InDatagrams']) stillSince = Date.now();
    last = now;
    if (Date.now() - stillSince >= 300) break;
  }
  return last;
}

async function measure(server: Server, sender: string, templates: string, sources: string, rate: number, seconds: number, seed: number): Promise<Step> {
  const local = `${server.target.address}:${server.target.port}`;
  const before = server.ns.udp();
  const sockBefore = server.ns.sockets()[local]?.drops ?? 0;
  const statsBefore = server.guard === null ? null : await server.guard.stats();
  const spec: FloodSpec = { to: server.target, rate, seconds, sources, mode: 'random', seed };
  const cpuBefore = server.ns.cpuByProcess();
  const send = await runFlood(server.ns, sender, templates, spec);
  const cpuAfter = server.ns.cpuByProcess();
  const used = (pid: string) => ((cpuAfter.get(pid) ?? 0) - (cpuBefore.get(pid) ?? 0)) / send.seconds;
  let cpu = 0;
  for (const pid of cpuAfter.keys()) cpu += used(pid);
  const guardCpu = server.guard === null ? null : used(String(server.guard.pid));
  const loadNow = load();
  const after = await drained(server.ns);
  const sockAfter = server.ns.sockets()[local]?.drops ?? 0;
  const statsAfter = server.guard === null ? null : await server.guard.stats();
  const dropped = delta(before, after, 'InErrors');
  return {
    server: server.name,
    rate,
    send,
    achieved: send.sent / send.seconds,
    read: delta(before, after, 'InDatagrams'),
    dropped,
    rcvbufErrors: delta(before, after, 'RcvbufErrors'),
    socketDrops: sockAfter - sockBefore,
    loss: send.sent > 0 ? dropped / send.sent : 1,
    serverCount: statsBefore !== null && statsAfter !== null ? wanMessages(statsAfter) - wanMessages(statsBefore) : delta(before, after, 'OutDatagrams'),
    cpu,
    guardCpu,
    loadavg: loadNow,
  };
}

/** A sender this much slower than the rate means the server starved it: see the header. */
const SHORTFALL_TOLERANCE = 0.05;

/** The loss a step is judged by: its loss, or the sender's shortfall from the rate when the server starved it. */
function judgedLoss(step: Step): number {
  const shortfall = 1 - step.achieved / step.rate;
  return shortfall > SHORTFALL_TOLERANCE ? Math.max(step.loss, shortfall) : step.loss;
}

/** The median judged loss of a server's steps at a rate (null: not measured). */
function medianLoss(steps: readonly Step[], name: ServerName, rate: number): number | null {
  const losses = steps.filter((s) => s.server === name && s.rate === rate).map(judgedLoss).sort((a, b) => a - b);
  return losses.length === 0 ? null : losses[Math.floor((losses.length - 1) / 2)]!;
}

/** The highest rate whose median loss is under the limit. */
function highestUnderLimit(steps: readonly Step[], name: ServerName): number {
  const rates = [...new Set(steps.filter((s) => s.server === name).map((s) => s.rate))];
  return rates.filter((r) => medianLoss(steps, name, r)! < LOSS_LIMIT).reduce((m, r) => Math.max(m, r), 0);
}

async function rssRun(dir: string, sender: string, templates: string, quick: boolean): Promise<Record<string, unknown>> {
  const ns = Netns.create('rss');
  const guard = await GuardProcess.start(ns, mkdir(dir, 'rss'), null).catch((e: unknown) => {
    ns.remove();
    throw e;
  });
  try {
    await waitForSocket(ns, `${GUARD_WAN.address}:${GUARD_WAN.port}`, 10_000);
    const idle = guard.memory();
    const rate = RSS_RATE;
    const seconds = quick ? 10 : 100; // 1,000,000 (quick: 100,000) distinct sources
    const before = ns.udp();
    const flood = runFlood(ns, sender, templates, { to: GUARD_WAN, rate, seconds, sources: MILLION_SOURCES, mode: 'sequential', seed: 7 });
    let peakDuring = 0;
    let peakPss = 0;
    let peakReadersAnon = 0;
    let finished = false;
    void flood.finally(() => (finished = true));
    while (!finished) {
      const now = guard.memory();
      peakDuring = Math.max(peakDuring, now.rssKiB);
      peakPss = Math.max(peakPss, now.pssKiB);
      peakReadersAnon = Math.max(peakReadersAnon, now.readersAnonKiB);
      await sleep(250);
    }
    const send = await flood;
    const after = await drained(ns);
    await sleep(2000); // let the event store's batches flush
    const end = guard.memory();
    // Judged on the guard's peak RSS plus its readers' private memory at their peak: the memory
    // the processes hold together, with the code pages they share counted once.
    const together = (end.guardHwmKiB + peakReadersAnon) / 1024;
    const stats = await guard.stats();
    return {
      sources: send.distinct,
      sent: send.sent,
      read: delta(before, after, 'InDatagrams'),
      rate,
      loss: send.sent > 0 ? delta(before, after, 'InErrors') / send.sent : 1,
      processes: end.processes,
      idleRssMB: idle.rssKiB / 1024,
      peakRssDuringMB: peakDuring / 1024,
      rssAfterMB: end.rssKiB / 1024,
      hwmMB: end.hwmKiB / 1024,
      idlePssMB: idle.pssKiB / 1024,
      peakPssDuringMB: peakPss / 1024,
      togetherMB: together,
      targetMB: RSS_TARGET_MB,
      met: together < RSS_TARGET_MB,
      bans: stats.bans,
      drops: stats.guard.drops,
      loadavg: load(),
    };
  } finally {
    await guard.stop();
    ns.remove();
  }
}

async function legitRun(dir: string, sender: string, templates: string, quick: boolean): Promise<Record<string, unknown>> {
  const ns = Netns.create('legit');
  let guard: GuardProcess | undefined;
  let calls: ChildProcess | undefined;
  try {
    guard = await GuardProcess.start(ns, mkdir(dir, 'legit'), null);
    await waitForSocket(ns, `${GUARD_WAN.address}:${GUARD_WAN.port}`, 10_000);
    const count = quick ? 10 : 40;
    const intervalMs = 200;
    calls = ns.spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'flood', 'legit-calls.ts'), String(count), String(intervalMs)], true);
    let out = '';
    let err = '';
    calls.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    calls.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const waitFor = async (re: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      while (!re.test(out)) {
        if (Date.now() > deadline || calls!.exitCode !== null) throw new Error(`bench:flood: legit calls: no ${re} (${err}${out})`);
        await sleep(50);
      }
      return re.exec(out)!;
    };
    const alias = (await waitFor(/REGISTERED (\S+)/, 20_000))[1];
    const rate = 50_000;
    // The flood lasts until the last call has had its retransmissions and ring timeout (4 s).
    const seconds = Math.ceil((count * intervalMs) / 1000) + 7;
    const before = ns.udp();
    const flood = runFlood(ns, sender, templates, { to: GUARD_WAN, rate, seconds, sources: RATE_SOURCES, mode: 'random', seed: 11 });
    await sleep(1500); // the flood is under way before the first call
    calls.stdin!.write('go\n');
    const result = JSON.parse((await waitFor(/RESULT (\{.*\})/, (seconds + 20) * 1000))[1]!) as Record<string, unknown>;
    const send = await flood;
    const after = await drained(ns);
    const stats = await guard.stats();
    return {
      ...result,
      alias,
      floodRate: rate,
      floodSent: send.sent,
      floodLoss: send.sent > 0 ? delta(before, after, 'InErrors') / send.sent : 1,
      delivered: stats.guard.delivered,
      loadavg: load(),
    };
  } finally {
    if (calls !== undefined && calls.exitCode === null && calls.pid !== undefined) {
      try {
        process.kill(calls.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await guard?.stop();
    ns.remove();
  }
}

function mkdir(dir: string, name: string): string {
  return mkdtempSync(join(dir, `${name}-`));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      rates: { type: 'string' },
      'step-seconds': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'skip-extras': { type: 'boolean', default: false },
      floor: { type: 'boolean', default: false },
      readers: { type: 'string' },
      repeats: { type: 'string' },
      sources: { type: 'string', default: RATE_SOURCES },
    },
  });
  if (process.getuid?.() !== 0) throw new Error('bench:flood needs root (network namespaces, a raw socket)');
  const quick = values.quick;
  const rates = values.rates !== undefined ? values.rates.split(',').map(Number) : quick ? QUICK_RATES : DEFAULT_RATES;
  if (rates.some((r) => !Number.isInteger(r) || r < 1000 || r > 400_000)) throw new Error('--rates: integers in 1000..400000');
  if (values.readers !== undefined && values.readers !== 'auto' && !/^(?:[0-9]|1[0-6])$/.test(values.readers)) throw new Error('--readers: auto or 0..16');
  const stepSeconds = values['step-seconds'] !== undefined ? Number(values['step-seconds']) : quick ? 1 : 3;
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1 || stepSeconds > 30) throw new Error('--step-seconds: 1..30');
  const sources = values.sources;
  const sm = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(sources);
  if (sm === null || Number(sm[4]) < 8 || Number(sm[4]) > 30 || sm.slice(1, 4).some((o) => Number(o) > 255)) {
    throw new Error('--sources: an IPv4 block inside 127.0.0.0/8, prefix 8..30 (e.g. 127.64.0.0/24)');
  }
  const repeats = values.repeats !== undefined ? Number(values.repeats) : quick ? 1 : 3;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 9) throw new Error('--repeats: 1..9');
  log.on = !values.json;

  const started = Date.now();
  Netns.removeStale();
  const dir = mkdtempSync(join(tmpdir(), 'gg-bench-flood-'));
  const namespaces: Netns[] = [];
  const servers: Server[] = [];
  const cleanup = () => {
    for (const s of servers) {
      if (s.kamailio?.pid !== undefined && s.kamailio.exitCode === null) {
        try {
          process.kill(s.kamailio.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    for (const ns of namespaces) ns.remove();
  };
  const onSignal = () => {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const build = buildDistIfStale();
    const sender = buildSender(dir);
    const templates = join(dir, 'templates.bin');
    const shapes = writeTemplates(templates);
    const profileDir = values.profile ? mkdir(dir, 'cpuprof') : null;

    const kamNs = Netns.create('kamailio');
    namespaces.push(kamNs);
    const kamailio = startKamailio(kamNs, mkdir(dir, 'kamailio'), RECEIVE_BUFFER);
    let kamLog = '';
    kamailio.stderr!.on('data', (d: Buffer) => kamLog.length < 100_000 && (kamLog += d.toString('utf8')));
    servers.push({ name: 'kamailio', ns: kamNs, target: { address: KAMAILIO_ADDRESS, port: KAMAILIO_PORT }, guard: null, kamailio, overLimit: 0, done: false });
    for (const [name, yaml] of [
      ['ghostguard', null],
      ['ghostguard-nobans', NO_BANS_YAML],
    ] as const) {
      const ns = Netns.create(name === 'ghostguard' ? 'gg' : 'gg-nobans');
      namespaces.push(ns);
      const nodeArgs = profileDir !== null && name === 'ghostguard-nobans' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
      const guard = await GuardProcess.start(ns, mkdir(dir, name), yaml, nodeArgs, values.readers ?? null);
      servers.push({ name, ns, target: GUARD_WAN, guard, kamailio: null, overLimit: 0, done: false });
    }
    if (values.floor) {
      const ns = Netns.create('floor');
      namespaces.push(ns);
      servers.push({ name: 'node-dgram-floor', ns, target: GUARD_WAN, guard: await GuardProcess.floor(ns, RECEIVE_BUFFER), kamailio: null, overLimit: 0, done: false });
    }
    const buffers: Record<string, number> = {};
    for (const s of servers) {
      buffers[s.name] = await waitForSocket(s.ns, `${s.target.address}:${s.target.port}`, 20_000).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}\n${s.name === 'kamailio' ? kamLog.slice(-2000) : s.guard?.output.join('')}`);
      });
    }
    if (new Set(Object.values(buffers)).size > 1) {
      throw new Error(`bench:flood: the servers' receive buffers differ, the comparison would not be fair: ${JSON.stringify(buffers)}`);
    }

    log.line(`ghostguard vs ${kamailioVersion()} under a scanner flood (issue 6)`);
    log.line(`machine: ${cpus().length} cores, load average at start ${load()}; Node ${process.version}; ${build}`);
    log.line(`mix: ${shapes.length} shapes round-robin (${shapes.filter((s) => s.kamailioDrops).length} dropped by Kamailio's User-Agent rule, the rest answered 404): ${[...new Set(shapes.map((s) => s.name))].join(', ')}`);
    log.line(`sources: random in ${sources} (spoofed, raw socket); ${stepSeconds} s per step, ${repeats} step(s) per rate and server (median loss decides); socket receive buffers (ss rb): ${Object.entries(buffers).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log.line(`loss = ΔInErrors / sent (Udp counters of the server's own namespace; InErrors includes RcvbufErrors)\n`);
    log.line('rate/s    server              sent     sent/s   read      dropped  loss     server-count  cpu    load');

    // Warm-up, not counted: first packets fault in memory and (ghostguard) leave the JIT cold.
    for (const server of servers) await runFlood(server.ns, sender, templates, { to: server.target, rate: WARMUP_RATE, seconds: 2, sources, mode: 'random', seed: 99 });
    await sleep(1000);
    const steps: Step[] = [];
    for (const [i, rate] of rates.entries()) {
      const active = servers.filter((s) => !s.done);
      if (active.length === 0) break;
      for (let rep = 0; rep < repeats; rep++) {
        const order = active.map((_, k) => active[(k + i + rep) % active.length]!);
        for (const server of order) {
          const step = await measure(server, sender, templates, sources, rate, stepSeconds, 1 + i * repeats + rep);
          steps.push(step);
          const judged = judgedLoss(step);
          log.line(
            `${String(rate).padEnd(9)} ${server.name.padEnd(18)} ${String(step.send.sent).padStart(8)} ${String(Math.round(step.achieved)).padStart(9)} ${String(step.read).padStart(8)} ${String(step.dropped).padStart(8)}  ${pct(step.loss).padStart(7)}  ${String(step.serverCount).padStart(12)}  ${step.cpu.toFixed(2).padStart(5)}  ${step.loadavg}${step.guardCpu !== null && step.guardCpu !== step.cpu ? `  (cpu: main ${step.guardCpu.toFixed(2)}, readers ${(step.cpu - step.guardCpu).toFixed(2)})` : ''}${step.send.behind > 0 ? `  (sender late ${step.send.behind}x)` : ''}${judged !== step.loss ? `  (judged ${pct(judged)}: the sender fell short of the rate)` : ''}${step.socketDrops !== step.dropped ? `  (socket drops ${step.socketDrops})` : ''}`,
          );
          await sleep(500);
        }
      }
      // Two rates in a row whose median loss is over the limit end a server's series.
      for (const server of active) {
        if (medianLoss(steps, server.name, rate)! < LOSS_LIMIT) server.overLimit = 0;
        else if (++server.overLimit >= 2) server.done = true;
      }
    }
    if (repeats > 1) {
      log.line(`\nmedian judged loss of ${repeats} steps per rate (the loss, or the sender's shortfall over ${pct(SHORTFALL_TOLERANCE)}):`);
      const names = servers.map((s) => s.name);
      log.line(`rate/s    ${names.map((n) => n.padStart(18)).join('')}`);
      for (const rate of rates) {
        const cells = names.map((n) => medianLoss(steps, n, rate)).map((m) => (m === null ? '-' : pct(m)).padStart(18));
        if (cells.some((c) => c.trim() !== '-')) log.line(`${String(rate).padEnd(9)} ${cells.join('')}`);
      }
    }
    const kam = highestUnderLimit(steps, 'kamailio');
    const gg = highestUnderLimit(steps, 'ghostguard');
    const ggNoBans = highestUnderLimit(steps, 'ghostguard-nobans');
    const ratio = (n: number) => (kam > 0 ? n / kam : null);
    const r = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}x`);
    log.line(`\nhighest rate under 1% loss: ghostguard ${gg}, Kamailio ${kam}, ratio ${r(ratio(gg))} (target >= 1.0x: ${ratio(gg) !== null && ratio(gg)! >= 1 ? 'met' : 'NOT met'})`);
    log.line(`  ghostguard with bans and rate limits out of reach (parse + gate for every datagram): ${ggNoBans}, ratio ${r(ratio(ggNoBans))}`);
    const floor = values.floor ? highestUnderLimit(steps, 'node-dgram-floor') : null;
    if (floor !== null) log.line(`  floor: a bare node:dgram socket that only counts (no SIP work): ${floor}, ratio ${r(ratio(floor))}`);
    const guardStats: Record<string, unknown> = {};
    for (const s of servers) if (s.guard !== null) guardStats[s.name] = await s.guard.stats();

    for (const s of servers) if (s.guard !== null) await s.guard.stop();
    const hot: HotFunction[] = profileDir !== null ? topFunctions(profileDir) : [];
    const hotModules: HotFunction[] = profileDir !== null ? topModules(profileDir) : [];
    if (hot.length > 0) {
      log.line('\nghostguard-nobans CPU profile (node --cpu-prof, idle left out), top functions by self time:');
      for (const h of hot) log.line(`  ${h.selfPercent.toFixed(1).padStart(5)}%  ${h.name}  ${h.where}`);
      log.line('modules by inclusive time (a module counts once per sample):');
      for (const h of hotModules) log.line(`  ${h.selfPercent.toFixed(1).padStart(5)}%  ${h.name}`);
    }
    const readersDir = profileDir === null ? null : join(profileDir, 'wan-readers');
    const hotReader: HotFunction[] = readersDir !== null && existsSync(readersDir) ? topFunctions(readersDir) : [];
    if (hotReader.length > 0) {
      log.line('one of its WAN reader processes, top functions by self time:');
      for (const h of hotReader) log.line(`  ${h.selfPercent.toFixed(1).padStart(5)}%  ${h.name}  ${h.where}`);
    }
    if (kamailio.pid !== undefined && kamailio.exitCode === null) process.kill(kamailio.pid, 'SIGTERM');
    for (const ns of namespaces.splice(0)) ns.remove();

    let rss: Record<string, unknown> | null = null;
    let legit: Record<string, unknown> | null = null;
    if (!values['skip-extras']) {
      rss = await rssRun(dir, sender, templates, quick);
      log.line(
        `\nRSS under a flood from ${rss['sources']} distinct sources (${rss['sent']} datagrams at ${rss['rate']}/s, ${rss['read']} read, default config; the guard and its ${(rss['processes'] as number) - 1} WAN reader process(es), summed): idle ${(rss['idleRssMB'] as number).toFixed(0)} MB, peak during ${(rss['peakRssDuringMB'] as number).toFixed(0)} MB, after ${(rss['rssAfterMB'] as number).toFixed(0)} MB, VmHWM ${(rss['hwmMB'] as number).toFixed(0)} MB (these sums count Node's shared code once per process); together (the guard's VmHWM + its readers' private RssAnon) ${(rss['togetherMB'] as number).toFixed(0)} MB: target < ${RSS_TARGET_MB} MB ${rss['met'] ? 'met' : 'NOT met'}; PSS idle ${(rss['idlePssMB'] as number).toFixed(0)} MB, peak ${(rss['peakPssDuringMB'] as number).toFixed(0)} MB (loss ${pct(rss['loss'] as number)}, load ${rss['loadavg']})`,
      );
      legit = await legitRun(dir, sender, templates, quick);
      log.line(
        `legit calls during a ${legit['floodRate']}/s flood (${legit['floodSent']} sent, loss ${pct(legit['floodLoss'] as number)}): ${legit['rang']} of ${legit['placed']} rang the phone, ${legit['rangFirstTime']} on the first INVITE, the rest after the provider's retransmissions (${legit['retransmissions']}) (phone saw ${legit['phoneInvites']} INVITEs; ring time median ${Number(legit['ringMs'] && (legit['ringMs'] as { median: number }).median).toFixed(2)} ms; load ${legit['loadavg']})`,
      );
    }
    log.line(`(bench took ${((Date.now() - started) / 1000).toFixed(0)} s; load average at end ${load()})`);
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            date: new Date().toISOString(),
            kamailio: kamailioVersion(),
            node: process.version,
            build,
            stepSeconds,
            repeats,
            sources,
            receiveBuffers: buffers,
            shapes: shapes.map((s) => ({ name: s.name, kamailioDrops: s.kamailioDrops })),
            steps,
            highest: { ghostguard: gg, ghostguardNoBans: ggNoBans, kamailio: kam, nodeDgramFloor: floor },
            ratio: { ghostguard: ratio(gg), ghostguardNoBans: ratio(ggNoBans), target: 1, met: (ratio(gg) ?? 0) >= 1 },
            guardStats,
            profile: { functions: hot, modules: hotModules, readerFunctions: hotReader },
            rss,
            legit,
          },
          null,
          2,
        ),
      );
    }
    return 0;
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
