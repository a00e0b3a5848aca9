/**
 * `npm run bench:parse` — ghostguard's SIP parser against the npm packages `sip`, `drachtio-sip` and
 * `jssip`, in the same process and the same run, on the corpus in bench/corpus.
 *
 * For every parser: first check that it parses each corpus message and reads From and To (URI user, host
 * and tag), the top Via (host, branch), CSeq and Call-ID; then time exactly that work on the messages
 * every parser handles. Prints messages/s (median of the rounds), ghostguard's ratio to each peer, and
 * whether ghostguard reaches the issue's target: at least 3x the fastest peer.
 *
 *   npm run bench:parse -- [--seconds N] [--rounds N] [--json] [--check] [--by-message] [--source | --with-source]
 *
 * ghostguard is timed as production runs it: the tsc output in dist/sip, built first when it is
 * older than src/sip. --source times src/sip through tsx instead, whose transpilation makes the
 * parser about 15% slower (see peers/ghostguard-parser.ts).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadCorpus, type CorpusMessage } from './corpus.js';
import { measure, type Contender, type Measurement } from './measure.js';
import { emptyFields, type AnyAdapter, type Fields } from './peers/adapter.js';
import { drachtioPeer } from './peers/drachtio-peer.js';
import { jssipPeer } from './peers/jssip-peer.js';
import { buildIfStale, loadGhostguard, type GhostguardBuild } from './peers/ghostguard-parser.js';
import { sipPeer } from './peers/sip-peer.js';

const TARGET_FACTOR = 3;
const GHOSTGUARD = 'ghostguard';
/** ghostguard's other build, timed for comparison only (never a peer, never the target). */
const GHOSTGUARD_SOURCE = 'ghostguard-src';

const USAGE = `usage: npm run bench:parse -- [--seconds N] [--rounds N] [--json] [--check] [--by-message] [--source | --with-source]
  --seconds N   time budget per parser, warm-up included (default 5)
  --rounds N    timed rounds per parser; the median is reported (default 10)
  --json        print one JSON object instead of the table
  --check       exit 1 when ghostguard misses the target (>= ${TARGET_FACTOR}x the fastest peer)
  --by-message  also time each timed message alone (--seconds split over the messages), to see
                where ghostguard is slow
  --source      time src/sip through tsx instead of the compiled build in dist/sip (by default
                ghostguard is timed as production runs it: dist/sip, rebuilt first with
                tsc -p tsconfig.build.json when older than src/sip); tsx makes it about 15% slower
  --with-source also time src/sip through tsx, as ${GHOSTGUARD_SOURCE}, for comparison only`;

interface Failure {
  readonly message: string;
  readonly reason: string;
}

interface ParserReport {
  readonly adapter: AnyAdapter;
  readonly failures: Failure[];
  /** Fields read from each corpus message (by name), when the read succeeded. */
  readonly fields: Map<string, Fields>;
}

async function main(): Promise<number> {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      'by-message': { type: 'boolean', default: false },
      source: { type: 'boolean', default: false },
      'with-source': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (!(seconds > 0) || !Number.isInteger(rounds) || rounds < 1) {
    console.error(USAGE);
    return 2;
  }

  const build: GhostguardBuild = values.source ? 'source' : 'compiled';
  let buildNote = '';
  if (build === 'compiled') {
    try {
      buildNote = buildIfStale();
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      return 1;
    }
  }
  const corpus = loadCorpus();
  const { adapters, unavailable } = await loadAdapters(build, build === 'compiled' && values['with-source']);
  const reports = adapters.map((a) => verify(a, corpus));
  const timed = corpus.filter((m) => reports.every((r) => r.fields.has(m.name)));
  if (timed.length === 0) {
    console.error('no corpus message is parsed by every parser: nothing to time');
    return 1;
  }

  const log = values.json ? () => {} : (line: string) => console.log(line);
  log(`ghostguard parse benchmark: ${corpus.length} corpus messages, ${timed.length} timed (parsed by every parser)`);
  log(machineLine());
  log(ghostguardLine(adapters, build, buildNote));
  log(`${seconds} s per parser (first 20% warm-up), ${rounds} interleaved rounds, median\n`);

  const contenders = reports.map((r) => contender(r.adapter, timed));
  const results = measure(contenders, { seconds, rounds, warmupShare: 0.2 });
  const summary = summarize(reports, results, unavailable);

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: machine(),
          corpus: { messages: corpus.length, timed: timed.map((m) => m.name) },
          ghostguardBuild: build,
          ghostguardBuildNote: buildNote,
          options: { seconds, rounds, warmupShare: 0.2 },
          parsers: reports.map((r, i) => ({
            name: r.adapter.name,
            version: r.adapter.version,
            failures: r.failures,
            msgsPerSec: { median: results[i]!.median, min: results[i]!.min, max: results[i]!.max, rounds: results[i]!.rounds },
            ghostguardRatio: summary.ratios.get(r.adapter.name) ?? null,
          })),
          unavailable,
          disagreements: disagreements(reports),
          target: summary.target,
          elapsedSeconds: (performance.now() - started) / 1000,
        },
        null,
        2,
      ),
    );
  } else {
    printTable(reports, results, summary);
    printFailures(reports, unavailable);
    const notes = disagreements(reports);
    if (notes.length > 0) {
      log(`\nfields read differently from ghostguard (${notes.length}):`);
      for (const n of notes.slice(0, 20)) log(`  ${n}`);
    }
    if (values['by-message']) printByMessage(reports.map((r) => r.adapter), timed, seconds);
    log(`\n${summary.targetLine}`);
    log(`(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  return values.check && summary.target.met !== true ? 1 : 0;
}

async function loadAdapters(build: GhostguardBuild, withSource: boolean): Promise<{ adapters: AnyAdapter[]; unavailable: Failure[] }> {
  const adapters: AnyAdapter[] = [];
  const unavailable: Failure[] = [];
  // Loaded dynamically so that the peers can still be measured while the parser is being written.
  try {
    adapters.push(await loadGhostguard(build));
  } catch (e) {
    unavailable.push({ message: GHOSTGUARD, reason: e instanceof Error ? e.message : String(e) });
  }
  if (withSource) {
    try {
      adapters.push({ ...(await loadGhostguard('source')), name: GHOSTGUARD_SOURCE });
    } catch (e) {
      unavailable.push({ message: GHOSTGUARD_SOURCE, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  for (const make of [sipPeer, drachtioPeer, jssipPeer]) {
    try {
      adapters.push(make());
    } catch (e) {
      unavailable.push({ message: make.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { adapters, unavailable };
}

/** What exactly is timed as ghostguard (one line per build timed). */
function ghostguardLine(adapters: readonly AnyAdapter[], build: GhostguardBuild, buildNote: string): string {
  const lines: string[] = [];
  for (const a of adapters) {
    if (a.name === GHOSTGUARD) {
      const what =
        build === 'compiled'
          ? `the build production runs${buildNote === '' ? '' : `; ${buildNote}`}`
          : 'NOT the production build: tsx transpiles with esbuild keepNames, about 15% slower (the default times dist/sip)';
      lines.push(`ghostguard timed: ${a.version}, ${what}`);
    } else if (a.name === GHOSTGUARD_SOURCE) {
      lines.push(`${GHOSTGUARD_SOURCE} timed: ${a.version}, for comparison only (not a peer, not the target)`);
    }
  }
  return lines.length > 0 ? lines.join('\n') : 'ghostguard: unavailable';
}

/** ghostguard itself or its other build: never a peer. */
function isGhostguard(name: string): boolean {
  return name === GHOSTGUARD || name === GHOSTGUARD_SOURCE;
}

function verify(adapter: AnyAdapter, corpus: readonly CorpusMessage[]): ParserReport {
  const failures: Failure[] = [];
  const fields = new Map<string, Fields>();
  for (const m of corpus) {
    const out = emptyFields();
    const why = adapter.read(adapter.prepare(m.bytes), out);
    if (why === null) fields.set(m.name, out);
    else failures.push({ message: m.name, reason: why });
  }
  return { adapter, failures, fields };
}

function contender(adapter: AnyAdapter, timed: readonly CorpusMessage[]): Contender {
  const inputs = timed.map((m) => adapter.prepare(m.bytes));
  const out = emptyFields();
  return {
    name: adapter.name,
    itemsPerPass: inputs.length,
    pass(): number {
      let sum = 0;
      for (let i = 0; i < inputs.length; i++) {
        if (adapter.read(inputs[i], out) !== null) throw new Error(`${adapter.name} failed on a message it parsed before`);
        sum += out.fromTag.length + out.toHost.length + out.viaBranch.length + out.callId.length + (out.cseqSeq & 0xff);
      }
      return sum;
    },
  };
}

interface Summary {
  readonly ratios: Map<string, number>;
  readonly target: {
    factor: number;
    fastestPeer: string | null;
    fastestPeerMsgsPerSec: number | null;
    ghostguardMsgsPerSec: number | null;
    ratio: number | null;
    met: boolean | null;
  };
  readonly targetLine: string;
}

function summarize(reports: readonly ParserReport[], results: readonly Measurement[], unavailable: readonly Failure[]): Summary {
  const gg = results.find((r) => r.name === GHOSTGUARD);
  const peers = results.filter((r) => !isGhostguard(r.name));
  const fastest = peers.reduce<Measurement | undefined>((a, b) => (a === undefined || b.median > a.median ? b : a), undefined);
  const ratios = new Map<string, number>();
  if (gg !== undefined) for (const r of results) ratios.set(r.name, gg.median / r.median);
  const ggFailures = reports.find((r) => r.adapter.name === GHOSTGUARD)?.failures.length ?? 0;
  let met: boolean | null = null;
  let targetLine: string;
  if (gg === undefined || fastest === undefined) {
    const why = unavailable.find((u) => u.message === GHOSTGUARD)?.reason ?? 'no peer measured';
    targetLine = `target >= ${TARGET_FACTOR}x fastest peer: cannot be judged (${why})`;
  } else {
    const ratio = gg.median / fastest.median;
    met = ratio >= TARGET_FACTOR && ggFailures === 0;
    const failNote = ggFailures > 0 ? `, but ghostguard failed on ${ggFailures} corpus message(s)` : '';
    targetLine =
      `target >= ${TARGET_FACTOR}x fastest peer (${fastest.name}, ${fmt(fastest.median)} msgs/s): ` +
      `${met ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x${failNote})`;
  }
  return {
    ratios,
    target: {
      factor: TARGET_FACTOR,
      fastestPeer: fastest?.name ?? null,
      fastestPeerMsgsPerSec: fastest?.median ?? null,
      ghostguardMsgsPerSec: gg?.median ?? null,
      ratio: gg !== undefined && fastest !== undefined ? gg.median / fastest.median : null,
      met,
    },
    targetLine,
  };
}

function printTable(reports: readonly ParserReport[], results: readonly Measurement[], summary: Summary): void {
  const rows = results.map((r, i) => {
    const a = reports[i]!.adapter;
    const ratio = summary.ratios.get(r.name);
    return [
      `${a.name} ${a.version}`,
      fmt(r.median),
      `${fmt(r.min)} – ${fmt(r.max)}`,
      r.name === GHOSTGUARD || ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
      `${reports[i]!.fields.size}/${reports[i]!.fields.size + reports[i]!.failures.length}`,
    ];
  });
  const head = ['parser', 'msgs/s (median)', 'range over rounds', 'ghostguard is', 'corpus parsed'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function printFailures(reports: readonly ParserReport[], unavailable: readonly Failure[]): void {
  for (const u of unavailable) console.log(`\n${u.message}: not measured (${u.reason})`);
  for (const r of reports) {
    if (r.failures.length === 0) continue;
    console.log(`\n${r.adapter.name} failed on ${r.failures.length} corpus message(s) (left out of the timed set for everyone):`);
    for (const f of r.failures) console.log(`  ${f.message}: ${f.reason}`);
  }
}

/** Each message timed alone, every parser on it: where is ghostguard relatively slow? */
function printByMessage(adapters: readonly AnyAdapter[], timed: readonly CorpusMessage[], seconds: number): void {
  const peers = adapters.filter((a) => !isGhostguard(a.name));
  const head = ['message', 'bytes', ...adapters.map((a) => `${a.name} msgs/s`), 'vs fastest peer'];
  const rows: string[][] = [];
  for (const m of timed) {
    const results = measure(
      adapters.map((a) => contender(a, [m])),
      { seconds: Math.max(0.05, seconds / timed.length), rounds: 3, warmupShare: 0.2 },
    );
    const gg = results.find((r) => r.name === GHOSTGUARD);
    const fastest = Math.max(...results.filter((r) => peers.some((p) => p.name === r.name)).map((r) => r.median));
    rows.push([m.name, String(m.bytes.length), ...results.map((r) => fmt(r.median)), gg === undefined ? '' : `${(gg.median / fastest).toFixed(2)}x`]);
  }
  rows.sort((a, b) => parseFloat(a[a.length - 1]!) - parseFloat(b[b.length - 1]!));
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log('\neach message alone (slowest ratio first):');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
}

/** Where a peer read a field differently from ghostguard (hosts compared without IPv6 brackets). */
function disagreements(reports: readonly ParserReport[]): string[] {
  const gg = reports.find((r) => r.adapter.name === GHOSTGUARD);
  if (gg === undefined) return [];
  const notes: string[] = [];
  const norm = (k: keyof Fields, v: string | number) => (k.endsWith('Host') && typeof v === 'string' ? v.replace(/^\[(.*)\]$/, '$1').toLowerCase() : v);
  for (const peer of reports) {
    if (isGhostguard(peer.adapter.name)) continue;
    for (const [name, theirs] of peer.fields) {
      const ours = gg.fields.get(name);
      if (ours === undefined) continue;
      for (const k of Object.keys(ours) as Array<keyof Fields>) {
        if (norm(k, ours[k]) !== norm(k, theirs[k])) {
          notes.push(`${name}: ${k} ghostguard=${JSON.stringify(ours[k])} ${peer.adapter.name}=${JSON.stringify(theirs[k])}`);
        }
      }
    }
  }
  return notes;
}

function machine() {
  const cpuList = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function machineLine(): string {
  const m = machine();
  return `node ${m.node} (V8 ${m.v8}), ${m.platform}, CPU ${m.cpu} x ${m.cores}, load average ${m.loadavg.join(' ')}`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

process.exitCode = await main();
