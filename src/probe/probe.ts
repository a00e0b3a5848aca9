/**
 * `probe()`: the self-test "would this address ring for a ghost call?". Resolves the host, then
 * probes its ports (probe-port.ts), starting one per pace interval, at most MAX_PROBE_PORTS of them;
 * reports come (onPort, results) in port order.
 * Used by `ghostguard probe` and by the dashboard's "Am I protected?" panel.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ProbeError } from './probe-error.js';
import { probePort } from './probe-port.js';
import type { PortReport, ProbeOptions, ProbeReport, ProbeTarget } from './probe-report.js';
import { MAX_PROBE_PORTS } from './probe-target.js';

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_PACE_MS = 100;
/** Bounds of the options, so a caller cannot make a probe run for days. */
const MAX_TIMEOUT_MS = 60_000;
const MAX_PACE_MS = 10_000;
/** Ports waiting for answers at the same time, at most. */
const MAX_IN_FLIGHT = 50;

/** Resolves a host name (first address, IPv4 or IPv6); an IP literal is its own address. */
export async function resolveHost(host: string): Promise<string> {
  if (isIP(host) !== 0) return host;
  try {
    const found = await lookup(host);
    return found.address;
  } catch (err) {
    throw new ProbeError('GG_ERR_PROBE_RESOLVE', `cannot resolve ${host.slice(0, 80)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

function bounded(value: number | undefined, fallback: number, max: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || v > max) throw new ProbeError('GG_ERR_PROBE_TARGET', `${name} must be from 0 to ${max} ms`);
  return v;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Read through a function: TypeScript would narrow a second `signal.aborted` check to false. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

export async function probe(target: ProbeTarget, options: ProbeOptions = {}): Promise<ProbeReport> {
  const timeoutMs = bounded(options.timeoutMs, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, 'the timeout');
  const paceMs = bounded(options.paceMs, DEFAULT_PACE_MS, MAX_PACE_MS, 'the pause between ports');
  if (target.ports.length === 0) throw new ProbeError('GG_ERR_PROBE_TARGET', 'no port to probe');
  if (target.ports.length > MAX_PROBE_PORTS) throw new ProbeError('GG_ERR_PROBE_TARGET', `${target.ports.length} ports is too many: at most ${MAX_PROBE_PORTS} ports per probe`);
  if (target.ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new ProbeError('GG_ERR_PROBE_TARGET', 'ports must be from 1 to 65535');
  const startedAt = Date.now();
  const address = await resolveHost(target.host);
  // Ports are started one per pace interval, and each waits for its answers on its own (at most
  // MAX_IN_FLIGHT at once): 1,000 silent ports take ~100 s at the default pace, not 1,000 timeouts.
  const done: (PortReport | undefined)[] = [];
  let reported = 0;
  const flush = (): void => {
    for (let r = done[reported]; r !== undefined; r = done[++reported]) options.onPort?.(r);
  };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (const [i, port] of target.ports.entries()) {
    if (i > 0) await wait(paceMs, options.signal);
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    if (isAborted(options.signal) || failure !== undefined) break;
    const running = probePort({ uriHost: target.host, address, port, transport: target.transport, timeoutMs, localAddress: options.localAddress, signal: options.signal })
      .then((report) => {
        done[i] = report;
        flush();
      })
      .catch((err: unknown) => {
        failure ??= err;
      });
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  const results = done.filter((r): r is PortReport => r !== undefined);
  return { host: target.host, address, startedAt, durationMs: Date.now() - startedAt, results };
}
