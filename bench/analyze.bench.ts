/**
 * `npm run bench:analyze` — how fast `ghostguard analyze` reads a big capture, against tshark, in
 * the same run on the same file.
 *
 * Generates a pcap of `--mb` MB (default 200) in a temp folder (deleted afterwards) with a realistic
 * mix (bench/analyze/generate-capture.ts): provider registrations and calls with RTP, scanner floods,
 * DNS, and SIP over TCP. Then times, side by side:
 *   tshark -n -r FILE -Y sip -T fields -e sip.Call-ID
 *   the capture reader alone (dist build, in-process, counting messages)
 *   node dist/cli/main.js analyze FILE --json > /dev/null     (the issue's target: >= 5x tshark)
 * and checks that all of them extract the number of SIP messages the generator wrote.
 *
 *   npm run bench:analyze -- [--mb N] [--rounds N] [--no-cli] [--keep] [--json] [--check]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { which } from '../test/e2e/lib/tools.js';
import { buildIfStale, CLI_ANALYZE } from './analyze/build.js';
import { mb, timeCli, timeReader, timeTshark, type Timing } from './analyze/contenders.js';
import { generateCapture } from './analyze/generate-capture.js';

const TARGET_FACTOR = 5;
const USAGE = `usage: npm run bench:analyze -- [--mb N] [--rounds N] [--no-cli] [--keep] [--json] [--check]
  --mb N       size of the generated capture in MB (default 200)
  --rounds N   rounds of the in-process reader; the median is reported (default 3)
  --no-cli     do not time node dist/cli/main.js analyze
  --keep       keep the temp folder with the capture (its path is printed)
  --json       print one JSON object instead of the table
  --check      exit 1 when the CLI misses the target (>= ${TARGET_FACTOR}x tshark)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      mb: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '3' },
      'no-cli': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const size = Number(values.mb);
  const rounds = Number(values.rounds);
  if (!(size > 0) || !Number.isInteger(rounds) || rounds < 1) {
    console.error(USAGE);
    return 2;
  }
  const tshark = which('tshark');
  if (tshark === undefined) {
    console.error('bench:analyze needs tshark (apt-get install tshark) to compare against');
    return 1;
  }
  const log = values.json ? () => {} : (line: string) => console.log(line);
  const buildNote = buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'gg-bench-analyze-'));
  try {
    const genStart = performance.now();
    const capture = generateCapture(join(dir, 'bench.pcap'), size * 1e6);
    const genSeconds = (performance.now() - genStart) / 1000;
    log(`ghostguard analyze benchmark: ${mb(capture.bytes)} MB pcap, ${fmt(capture.frames)} frames, ${fmt(capture.sipMessages)} SIP messages (${fmt(capture.sipTcpMessages)} over TCP), ${fmt(capture.rtpPackets)} RTP packets; generated in ${genSeconds.toFixed(1)} s`);
    log(machineLine(tshark));
    log(buildNote);

    const timings: Timing[] = [];
    timings.push(await timeTshark(tshark, capture.path, dir));
    timings.push(await timeReader(capture.path, rounds));
    const cliAvailable = existsSync(CLI_ANALYZE);
    if (!values['no-cli'] && cliAvailable) timings.push(await timeCli(capture.path, join(dir, 'analyze.json')));
    else log(values['no-cli'] ? 'CLI not timed (--no-cli)' : 'CLI not timed: dist/cli/commands/analyze.js does not exist');

    const tsharkSeconds = timings[0]!.seconds;
    const rows = timings.map((t) => ({
      ...t,
      mbPerSecond: capture.bytes / 1e6 / t.seconds,
      messagesPerSecond: capture.sipMessages / t.seconds,
      vsTshark: tsharkSeconds / t.seconds,
    }));
    log('');
    log(`${'contender'.padEnd(48)} ${'seconds'.padStart(8)} ${'MB/s'.padStart(8)} ${'msg/s'.padStart(10)} ${'messages'.padStart(9)} ${'vs tshark'.padStart(9)}`);
    for (const r of rows) {
      log(
        `${r.name.padEnd(48)} ${r.seconds.toFixed(2).padStart(8)} ${r.mbPerSecond.toFixed(1).padStart(8)} ${fmt(r.messagesPerSecond).padStart(10)} ${String(r.messages ?? '?').padStart(9)} ${`${r.vsTshark.toFixed(1)}x`.padStart(9)}${r.note ? `  (${r.note})` : ''}`,
      );
    }
    const mismatches = rows.filter((r) => r.messages !== null && r.messages !== capture.sipMessages);
    const unknown = rows.filter((r) => r.messages === null);
    const cli = rows.find((r) => r.name.startsWith('ghostguard analyze'));
    log('');
    if (cli !== undefined) log(`target: ghostguard analyze >= ${TARGET_FACTOR}x tshark: ${cli.vsTshark.toFixed(1)}x ${cli.vsTshark >= TARGET_FACTOR ? 'MET' : 'MISSED'}`);
    for (const r of unknown) log(`note: ${r.name} did not report a message count`);
    for (const r of mismatches) console.error(`COUNT MISMATCH: ${r.name} extracted ${r.messages} SIP messages, the capture holds ${capture.sipMessages}`);
    if (mismatches.length === 0) log(`every contender that reports a count extracted all ${fmt(capture.sipMessages)} SIP messages`);
    log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the contenders ran one after the other: compare runs at a steady load)`);
    if (values.keep) log(`capture kept: ${capture.path}`);
    if (values.json) {
      console.log(JSON.stringify({ date: new Date().toISOString(), machine: machineLine(tshark), build: buildNote, capture, generateSeconds: genSeconds, results: rows }, null, 2));
    }
    if (mismatches.length > 0) return 1;
    if (values.check && (cli === undefined || cli.vsTshark < TARGET_FACTOR)) return 1;
    return 0;
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function machineLine(tshark: string): string {
  const version = spawnSync(tshark, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '?';
  const cpu = cpus()[0]?.model ?? '?';
  return `node ${process.versions.node}, ${version.trim()}, CPU ${cpu} x ${cpus().length}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

process.exitCode = await main();
