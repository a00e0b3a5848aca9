/**
 * `npm run fuzz` — the long fuzz run of the SIP parser (issue 2: at least a million cases).
 *
 * 1. Linearity: time per byte of the whole property check on 1, 8 and 64 KiB pathological messages.
 * 2. Fuzzing: the property of bench/fuzz/check-message.ts on mutations of the RFC 4475 / RFC 5118
 *    torture messages and the benchmark corpus, in a worker thread. A watchdog here saves the input
 *    under test if the worker stops making progress (a hang); a thrown exception is shrunk by
 *    fast-check and saved with its stack. Results go to bench/out/.
 *
 *   npm run fuzz -- [--cases N] [--seed S] [--batch N] [--hang-seconds N] [--no-linearity]
 *
 * The same seed and case count replay the same cases.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { formatLinearity, measureLinearity, type LinearityRow } from './fuzz/linearity.js';
import { fuzzProperty } from './fuzz/property.js';
import { SHARED_HEADER_BYTES, SHARED_INPUT_BYTES, type SlowestCase, type WorkerInput, type WorkerMessage } from './fuzz/protocol.js';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));

const USAGE = `usage: npm run fuzz -- [--cases N] [--seed S] [--batch N] [--hang-seconds N] [--no-linearity]
  --cases N         fuzz cases to run (default 1000000)
  --seed S          32-bit seed; the same seed and --cases replay the same cases (default: random)
  --batch N         cases per fast-check run, i.e. per progress report (default 10000)
  --hang-seconds N  a case still running after N seconds is reported as a hang (default 10)
  --no-linearity    skip the time-per-byte table`;

type Outcome = 'passed' | 'counterexample' | 'hang' | 'worker error';

interface Summary {
  outcome: Outcome;
  seed: number;
  casesRequested: number;
  casesRun: number;
  seconds: number;
  casesPerSecond: number;
  /** Of the cases that took longest during the run, the one slowest when timed again alone. */
  slowestCase: { msInRun: number; msAlone: number; seed: string; bytes: number; file: string } | null;
  savedFiles: string[];
  detail: string | null;
  linearity: LinearityRow[] | null;
  node: string;
  cpu: string;
  date: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000000' },
      seed: { type: 'string' },
      batch: { type: 'string', default: '10000' },
      'hang-seconds': { type: 'string', default: '10' },
      'no-linearity': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cases = Number(values.cases);
  const batch = Number(values.batch);
  const hangMs = Number(values['hang-seconds']) * 1000;
  const seed = values.seed === undefined ? (Math.random() * 0x7fffffff) | 0 : Number(values.seed) | 0;
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(batch) || batch < 1 || !(hangMs > 0)) {
    console.error(USAGE);
    return 2;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  console.log(`node ${process.version}, CPU ${cpus()[0]?.model.trim() ?? 'unknown'} x ${cpus().length}`);

  let linearity: LinearityRow[] | null = null;
  if (!values['no-linearity']) {
    console.log('\nlinearity: whole property check (parse, accessors, validate, serialize) per byte');
    linearity = measureLinearity();
    console.log(formatLinearity(linearity));
  }

  console.log(`\nfuzzing: ${cases.toLocaleString('en-US')} cases, seed ${seed}, batches of ${batch}`);
  const summary = await runWorker({ seed, cases, batch, hangMs });
  summary.linearity = linearity;

  const file = `${OUT_DIR}fuzz-${seed}.json`;
  writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
  summary.savedFiles.push(file);
  console.log(`\n== fuzz summary ==`);
  console.log(`outcome:     ${summary.outcome}${summary.detail === null ? '' : `\n${indent(summary.detail)}`}`);
  console.log(`seed:        ${seed}  (replay: npm run fuzz -- --seed ${seed} --cases ${cases})`);
  console.log(`cases:       ${summary.casesRun.toLocaleString('en-US')} of ${cases.toLocaleString('en-US')} in ${summary.seconds.toFixed(1)} s`);
  console.log(`cases/s:     ${Math.round(summary.casesPerSecond).toLocaleString('en-US')}`);
  if (summary.slowestCase !== null) {
    const s = summary.slowestCase;
    console.log(`slowest:     ${s.msAlone.toFixed(2)} ms timed alone (${s.msInRun.toFixed(2)} ms in the run) on ${s.bytes} bytes mutated from ${s.seed}`);
    console.log(`             (${s.file})`);
  }
  if (linearity !== null) {
    const worst = linearity.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    console.log(`linearity:   worst 64 KiB / 1 KiB time-per-byte ratio ${worst.ratio.toFixed(2)} (${worst.shape})`);
  }
  console.log(`saved:       ${summary.savedFiles.join('\n             ')}`);
  return summary.outcome === 'passed' ? 0 : summary.outcome === 'hang' ? 3 : 1;
}

function runWorker(opts: { seed: number; cases: number; batch: number; hangMs: number }): Promise<Summary> {
  const shared = new SharedArrayBuffer(SHARED_HEADER_BYTES + SHARED_INPUT_BYTES);
  const header = new Int32Array(shared, 0, 2);
  const data: WorkerInput = { seed: opts.seed, cases: opts.cases, batch: opts.batch, shared };
  const worker = new Worker(new URL('./fuzz/worker-boot.mjs', import.meta.url), { workerData: data });
  const started = performance.now();
  const summary: Summary = {
    outcome: 'passed',
    seed: opts.seed,
    casesRequested: opts.cases,
    casesRun: 0,
    seconds: 0,
    casesPerSecond: 0,
    slowestCase: null,
    savedFiles: [],
    detail: null,
    linearity: null,
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    date: new Date().toISOString(),
  };
  let slowest: readonly SlowestCase[] = [];
  let lastPrint = started;
  let lastDecile = 0;

  return new Promise((resolve) => {
    let lastBeat = Atomics.load(header, 0);
    let lastBeatAt = performance.now();
    let finished = false;
    const finish = (outcome: Outcome, detail: string | null) => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      summary.outcome = outcome;
      summary.detail = detail;
      summary.seconds = (performance.now() - started) / 1000;
      summary.casesPerSecond = summary.casesRun / summary.seconds;
      void worker.terminate().then(() => {
        const worst = retime(slowest);
        if (worst !== null) {
          const file = `${OUT_DIR}slowest-${opts.seed}.sip`;
          writeFileSync(file, worst.bytes);
          summary.savedFiles.push(file);
          summary.slowestCase = { msInRun: worst.ms, msAlone: worst.msAlone, seed: worst.seedName, bytes: worst.bytes.length, file };
        }
        resolve(summary);
      });
    };

    const watchdog = setInterval(() => {
      const beat = Atomics.load(header, 0);
      const now = performance.now();
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastBeatAt = now;
        return;
      }
      if (now - lastBeatAt < opts.hangMs) return;
      const length = Atomics.load(header, 1);
      const bytes = Buffer.from(new Uint8Array(shared, SHARED_HEADER_BYTES, Math.min(length, SHARED_INPUT_BYTES)));
      const file = `${OUT_DIR}hang-${opts.seed}.sip`;
      writeFileSync(file, bytes);
      summary.savedFiles.push(file);
      summary.casesRun = Math.max(summary.casesRun, beat - 1);
      finish('hang', `case ${beat} (${length} bytes${length > SHARED_INPUT_BYTES ? ', saved truncated' : ''}) ran over ${opts.hangMs / 1000} s: input saved to ${file}`);
    }, 250);

    worker.on('message', (m: WorkerMessage) => {
      summary.casesRun = m.done;
      slowest = m.slowest;
      if (m.kind === 'progress') {
        const now = performance.now();
        const decile = Math.floor((10 * m.done) / opts.cases);
        if (decile > lastDecile || now - lastPrint > 15_000) {
          lastDecile = decile;
          lastPrint = now;
          const rate = m.done / ((now - started) / 1000);
          const slow = m.slowest.length === 0 ? '' : `, slowest case so far ${m.slowest[0]!.ms.toFixed(2)} ms`;
          console.log(`  ${pct(m.done, opts.cases)} ${m.done.toLocaleString('en-US')} cases, ${Math.round(rate).toLocaleString('en-US')} cases/s${slow}`);
        }
      } else if (m.kind === 'counterexample') {
        const base = `${OUT_DIR}counterexample-${opts.seed}`;
        writeFileSync(`${base}.sip`, m.bytes);
        const report = [
          `seed ${opts.seed}, fast-check batch seed ${m.batchSeed}, path ${m.path ?? '-'}`,
          `input: ${m.seedName} + mutations ${m.mutations}`,
          `(${m.bytes.length} bytes in ${base}.sip)`,
          '',
          m.error,
          '',
        ].join('\n');
        writeFileSync(`${base}.txt`, report);
        summary.savedFiles.push(`${base}.sip`, `${base}.txt`);
        finish('counterexample', report);
      } else {
        finish('passed', null);
      }
    });
    worker.on('error', (e) => finish('worker error', e.stack ?? String(e)));
    worker.on('exit', (code) => finish('worker error', `worker exited (code ${code}) before reporting its result`));
  });
}

/**
 * Times each kept slow case again, alone (best of 10), after the worker has stopped: a case that was
 * slow only because of a GC pause or a busy neighbour comes out fast; a really slow input stays slow.
 * Skipped for inputs that failed the property (they are reported as counterexamples).
 */
function retime(cases: readonly SlowestCase[]): (SlowestCase & { msAlone: number }) | null {
  let worst: (SlowestCase & { msAlone: number }) | null = null;
  for (const c of cases) {
    const bytes = Buffer.from(c.bytes);
    let best = Infinity;
    try {
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        fuzzProperty(bytes);
        best = Math.min(best, performance.now() - start);
      }
    } catch {
      continue;
    }
    if (worst === null || best > worst.msAlone) worst = { ...c, msAlone: best };
  }
  return worst;
}

function pct(done: number, total: number): string {
  return `[${((100 * done) / total).toFixed(0).padStart(3)}%]`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

process.exitCode = await main();
