/**
 * WAN reader processes: more than one core reading the guard's WAN UDP sockets under a flood.
 *
 * One Node thread reads at most ~45,000 scanner datagrams a second through the whole guard, while
 * a flood's requests all end the same way: a stranger's request is dropped. So the guard shares its
 * bound WAN UDP sockets with `count` child processes (`reader-main.ts`; the descriptors go to them
 * as extra stdio entries) and stops reading them itself; it still sends from them. Each reader
 * hands over whole every datagram from a provider address (the guard sends it the provider's
 * addresses whenever they change), a source's first request per window and whatever is not a
 * stranger's request; it only tallies the rest, and the guard applies each tally
 * (`MessagePipeline.strangerRequests`): stats, rate limits, bans and event counts as before.
 *
 * A reader that ends on its own is started again (after 1 s, doubling to 30 s while they keep
 * ending); while none runs, the guard reads its sockets itself. Readers that end before they read,
 * five in a row (a broken installation), are not started again: the guard says so and reads alone.
 * Without a way to share the sockets (see `udp-socket-sharing.ts`) the guard reads them itself, as
 * with `wan.readers: 0`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../transport/logger.js';
import type { Endpoint } from '../../transport/flow.js';
import type { SharedUdpSocket } from '../../transport/udp-transport.js';
import { SOURCE_FIELDS, type FromReader, type ReaderInit, type ReaderTally, type TallyReason, type ToReader } from './reader-protocol.js';

/** What the readers need of the WAN UDP transport. */
export interface SharedTransport {
  readonly maxMessageSize: number;
  sharedSockets(): readonly SharedUdpSocket[] | null;
  setReading(on: boolean): boolean;
  inject(index: number, data: Buffer, remote: { readonly address: string; readonly port: number }): void;
}

/** Where a tally goes: the message pipeline, and the guard's counters. */
export interface TallySink {
  /** `count` requests from `address`:`port` to the socket at `local`, refused for `reason`, taken as arrived at `time`. */
  strangerRequests(local: Endpoint, address: string, port: number, reason: TallyReason, method: string | null, count: number, time: number): void;
  /** `count` such requests from sources a reader had not sighted before, not named (`reader-core.ts`). */
  unnamedRequests(local: Endpoint, reason: TallyReason, method: string | null, count: number, time: number): void;
  count(what: string, n: number): void;
}

export interface WanReadersOptions {
  readonly count: number;
  readonly transport: SharedTransport;
  readonly sink: TallySink;
  /** The provider's addresses and blocks, asked every `trustedPollMs` and sent to the readers when they change. */
  readonly trustedEntries: () => readonly string[];
  readonly handOverPerSecond: number;
  readonly sampleWindowMs: number;
  readonly logger: Logger;
  /** The guard's clock, read once per tally (default `Date.now`). */
  readonly now?: () => number;
  /** How often a reader sends its tally (default 50 ms: shorter costs the IPC more, longer the garbage collector). */
  readonly flushMs?: number;
  readonly trustedPollMs?: number;
  /** How long a reader may take to say it reads (default 10 s). */
  readonly readyTimeoutMs?: number;
  /** The first wait before starting a reader again (default 1 s; doubles to 30 s). */
  readonly restartFirstMs?: number;
  /** The reader's entry module (default `reader-main`; tests pass others). */
  readonly module?: { readonly path: string; readonly execArgv: readonly string[] };
}

export interface WanReadersStats {
  /** Readers asked for, and reading now. */
  readonly readers: number;
  readonly running: number;
  /** Readers started again after ending on their own. */
  readonly restarts: number;
  /** Datagrams the readers read; of them handed over whole, and shed (budget spent). */
  readonly read: number;
  readonly handedOver: number;
  readonly shed: number;
  /** Stranger requests counted without their source's name (a flood's first sightings: `reader-core.ts`). */
  readonly unnamed: number;
  /** Whether the guard reads its WAN UDP sockets itself right now (no reader running). */
  readonly guardReads: boolean;
  /** Process ids of the readers reading now. */
  readonly pids: readonly number[];
}

const FIRST_FD = 4;
const RESTART_FIRST_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** Readers that end before they read, in a row, after which no more are started. */
const MAX_FAILED_STARTS = 5;

interface Reader {
  readonly child: ChildProcess;
  ready: boolean;
}

export class WanReaders {
  readonly #o: WanReadersOptions;
  readonly #readers = new Set<Reader>();
  #sockets: readonly SharedUdpSocket[] = [];
  #trusted = '';
  #trustedTimer: NodeJS.Timeout | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #restartMs: number;
  #failedStarts = 0;
  #stopping = false;
  #guardReads = true;
  #restarts = 0;
  #read = 0;
  #handedOver = 0;
  #shed = 0;
  #unnamed = 0;

  constructor(options: WanReadersOptions) {
    this.#o = options;
    this.#restartMs = options.restartFirstMs ?? RESTART_FIRST_MS;
  }

  /** Starts the readers; true once they all read (the guard then stops reading), false when the sockets cannot be shared. */
  async start(): Promise<boolean> {
    const sockets = this.#o.transport.sharedSockets();
    if (sockets === null || sockets.length === 0 || this.#o.count <= 0) return false;
    this.#sockets = sockets;
    this.#trusted = this.#o.trustedEntries().join('\n');
    const started = await Promise.all(Array.from({ length: this.#o.count }, () => this.#spawn()));
    this.#trustedTimer = setInterval(() => this.#syncTrusted(), this.#o.trustedPollMs ?? 250);
    this.#trustedTimer.unref();
    return started.every(Boolean);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#trustedTimer);
    clearTimeout(this.#restartTimer);
    const ending = [...this.#readers].map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.disconnect?.();
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(ending);
    this.#readers.clear();
  }

  stats(): WanReadersStats {
    const pids: number[] = [];
    for (const r of this.#readers) if (r.ready && r.child.pid !== undefined) pids.push(r.child.pid);
    return {
      readers: this.#o.count,
      running: pids.length,
      pids,
      restarts: this.#restarts,
      read: this.#read,
      handedOver: this.#handedOver,
      shed: this.#shed,
      unnamed: this.#unnamed,
      guardReads: this.#guardReads,
    };
  }

  /** One reader; resolves true once it reads, false when it ended or did not answer in time. */
  #spawn(): Promise<boolean> {
    const module = this.#o.module ?? readerModule();
    const child = fork(module.path, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', ...this.#sockets.map((s) => s.fd)],
      execArgv: [...module.execArgv],
      serialization: 'json',
    });
    const reader: Reader = { child, ready: false };
    this.#readers.add(reader);
    const init: ReaderInit = {
      t: 'init',
      sockets: this.#sockets.map((s, k) => ({ index: s.index, fd: FIRST_FD + k, type: s.type })),
      maxMessageSize: this.#o.transport.maxMessageSize,
      handOverPerSecond: this.#o.handOverPerSecond,
      sampleWindowMs: this.#o.sampleWindowMs,
      flushMs: this.#o.flushMs ?? 50,
      readers: this.#o.count,
      trusted: this.#trusted === '' ? [] : this.#trusted.split('\n'),
    };
    return new Promise<boolean>((resolve) => {
      const timeout = setTimeout(() => {
        this.#o.logger.warn('a WAN reader process did not start in time; ending it', { pid: child.pid });
        child.kill('SIGKILL');
        resolve(false);
      }, this.#o.readyTimeoutMs ?? 10_000);
      child.on('message', (message: FromReader) => {
        try {
          if (message.t === 'ready') {
            clearTimeout(timeout);
            reader.ready = true;
            this.#failedStarts = 0;
            this.#setGuardReads(false);
            resolve(true);
          } else this.#fromReader(message);
        } catch (err) {
          this.#o.logger.error('a WAN reader message could not be applied', { error: String(err) });
        }
      });
      child.on('error', (err) => this.#o.logger.warn('WAN reader process error', { pid: child.pid, error: err.message }));
      child.once('exit', (code, signal) => {
        clearTimeout(timeout);
        this.#readers.delete(reader);
        resolve(false);
        if (this.#stopping) return;
        if (![...this.#readers].some((r) => r.ready)) this.#setGuardReads(true);
        if (!reader.ready && ++this.#failedStarts >= MAX_FAILED_STARTS) {
          if (this.#failedStarts === MAX_FAILED_STARTS) {
            this.#o.logger.error(`WAN reader processes could not start (${MAX_FAILED_STARTS} in a row); no more are started, the guard reads its WAN UDP socket itself`, { code, signal });
          }
          return;
        }
        this.#o.logger.warn('a WAN reader process ended; starting another', { pid: child.pid, code, signal, inMs: this.#restartMs });
        this.#scheduleRestart();
      });
      child.send(init satisfies ToReader);
    });
  }

  #scheduleRestart(): void {
    if (this.#restartTimer !== undefined) return;
    const wait = this.#restartMs;
    this.#restartMs = Math.min(RESTART_MAX_MS, this.#restartMs * 2);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopping) return;
      const missing = this.#o.count - this.#readers.size;
      for (let i = 0; i < missing; i++) {
        this.#restarts++;
        void this.#spawn().then((ok) => {
          // A reader that has kept reading for a minute resets the back-off.
          if (ok) setTimeout(() => (this.#restartMs = this.#o.restartFirstMs ?? RESTART_FIRST_MS), 60_000).unref();
        });
      }
    }, wait);
    this.#restartTimer.unref();
  }

  #setGuardReads(on: boolean): void {
    if (this.#guardReads === on) return;
    if (!this.#o.transport.setReading(on)) {
      this.#o.logger.warn(`could not ${on ? 'resume' : 'stop'} reading the WAN UDP sockets in the guard`);
      if (!on) return; // the guard keeps reading too: still correct, only slower
    }
    this.#guardReads = on;
    this.#o.logger.info(on ? 'the guard reads its WAN UDP sockets itself' : `WAN UDP sockets read by ${this.#o.count} reader process(es)`);
  }

  #fromReader(message: FromReader): void {
    if (message.t === 'datagram') {
      this.#handedOver++;
      this.#o.transport.inject(message.i, Buffer.from(message.d, 'base64'), { address: message.a, port: message.p });
    } else if (message.t === 'tally') {
      this.#applyTally(message);
    }
  }

  #applyTally(tally: ReaderTally): void {
    const { sink } = this.#o;
    const time = (this.#o.now ?? Date.now)();
    this.#read += tally.read;
    for (const [index, reason, method, sources, unnamed] of tally.g) {
      const local = this.#sockets.find((s) => s.index === index)?.local;
      if (local === undefined) continue;
      if (unnamed > 0) {
        this.#unnamed += unnamed;
        sink.unnamedRequests(local, reason, method, unnamed, time);
      }
      for (let k = 0; k + SOURCE_FIELDS <= sources.length; k += SOURCE_FIELDS) {
        sink.strangerRequests(local, String(sources[k]), Number(sources[k + 1]), reason, method, Number(sources[k + 2]), time);
      }
    }
    for (const [kind, n] of Object.entries(tally.shed)) {
      this.#shed += n;
      sink.count(`wan-reader-shed-${kind}`, n);
    }
    if (tally.lost > 0) sink.count('wan-reader-tally-full', tally.lost);
  }

  #syncTrusted(): void {
    const now = this.#o.trustedEntries().join('\n');
    if (now === this.#trusted) return;
    this.#trusted = now;
    const message: ToReader = { t: 'trusted', entries: now === '' ? [] : now.split('\n') };
    for (const { child } of this.#readers) if (child.connected) child.send(message);
  }
}

/** Whether a transport can share its sockets with readers (the UDP socket transport can). */
export function isSharedTransport(transport: object): transport is SharedTransport {
  return 'sharedSockets' in transport && 'setReading' in transport && 'inject' in transport;
}

/** `wan.readers` as a number of processes: `auto` is one per core, none on a single core, at most 4. */
export function readerCount(configured: number | 'auto', cores: number): number {
  if (configured !== 'auto') return configured;
  return cores < 2 ? 0 : Math.min(4, cores);
}

/**
 * Node flags of a reader: V8's garbage collector on the reader's own thread. Its parallel helper
 * threads only compete with the other readers and the guard for cores that a flood keeps busy
 * (measured: about 8% less CPU per datagram at 80,000-100,000/s on 2 cores, BENCHMARKS.md).
 */
const READER_FLAGS = ['--single-threaded-gc'];

/** The reader's entry module: the compiled one, or under tsx (tests run the sources) the TypeScript one. */
function readerModule(): { path: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  // tsx's loader by its absolute address: the guard's working folder need not be the project's.
  if (self.endsWith('.ts')) return { path: fileURLToPath(new URL('./reader-main.ts', import.meta.url)), execArgv: [...READER_FLAGS, '--import', import.meta.resolve('tsx')] };
  return { path: fileURLToPath(new URL('./reader-main.js', import.meta.url)), execArgv: [...READER_FLAGS, ...profiling()] };
}

/** A guard run under `--cpu-prof` profiles its readers too, into `wan-readers/` of its profile folder. */
function profiling(): string[] {
  const args = process.execArgv;
  if (!args.includes('--cpu-prof')) return [];
  const at = args.indexOf('--cpu-prof-dir');
  const dir = at >= 0 ? args[at + 1] : undefined;
  return ['--cpu-prof', '--cpu-prof-dir', join(dir ?? process.cwd(), 'wan-readers')];
}
