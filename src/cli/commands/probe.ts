/**
 * `ghostguard probe HOST[:PORT[-PORT]]`: the self-test. Sends a scanner's INVITE and an OPTIONS to
 * each port and says, per port and in one verdict line, whether a ghost call would ring there.
 * `--expect silent` makes it a check for scripts: exit 1 when anything rang or answered.
 */
import { ProbeError } from '../../probe/probe-error.js';
import type { PortReport, ProbeReport } from '../../probe/probe-report.js';
import { parseProbeTarget, MAX_PROBE_PORTS } from '../../probe/probe-target.js';
import { DEFAULT_TIMEOUT_MS, probe } from '../../probe/probe.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';

export const probeUsage = `Usage: ghostguard probe HOST[:PORT[-PORT]] [options]

Sends an INVITE like a SIP scanner's (svmap) and an OPTIONS to each port, and tells whether a ghost
call would ring there. A port that rings is cancelled at once; nothing is left ringing.
Probe only addresses you are responsible for. Default port 5060; at most ${MAX_PROBE_PORTS} ports;
IPv6 as [::1]:5060-5070.
  --tcp            probe over TCP (default UDP)
  --timeout MS     how long to wait for answers per port (default ${DEFAULT_TIMEOUT_MS})
  --from ADDRESS   the local address to send from
  --expect silent  exit 1 when any port rang or answered (for scripts)
  --json           print the report as one JSON object`;

/** The sentence that sums a report up. */
export function verdictLine(report: ProbeReport): string {
  const rang = report.results.filter((r) => r.verdict === 'RANG');
  const answered = report.results.filter((r) => r.verdict === 'ANSWERED');
  const ports = (list: readonly PortReport[]): string => list.map((r) => r.port).join(', ');
  if (rang.length > 0) {
    return `RANG on port ${ports(rang)}: a scanner's ghost call would ring here. Put ghostguard in front of this device, or make it accept calls only from your provider.`;
  }
  if (answered.length > 0) return `no ring, but port ${ports(answered)} answered: a scanner learns that a SIP device is here.`;
  if (report.results.length === 0) return 'stopped before any port was probed.';
  return 'nothing answered: a scanner learns nothing here.';
}

export function portLine(r: PortReport): string {
  return `  ${`${r.port}/${r.transport}`.padEnd(10)} ${r.verdict.padEnd(8)} ${r.detail}\n`;
}

export async function probeCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('probe', probeUsage, args, io, {
    allowPositionals: true,
    options: {
      tcp: { type: 'boolean' },
      timeout: { type: 'string' },
      from: { type: 'string' },
      expect: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  if (parsed.positionals.length !== 1) return usage('give one target: HOST[:PORT[-PORT]]');
  if (v.expect !== undefined && v.expect !== 'silent') return usage('--expect takes only "silent"');
  const timeoutMs = v.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(v.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) return usage('--timeout must be a whole number of ms from 100 to 60000');

  const stop = new AbortController();
  void io.untilStopped().then(() => stop.abort());
  let report: ProbeReport;
  try {
    const target = parseProbeTarget(parsed.positionals[0] ?? '', v.tcp ? 'tcp' : 'udp');
    if (!v.json) {
      const n = target.ports.length;
      io.out(`Probing ${target.host} over ${target.transport.toUpperCase()}, ${n === 1 ? `port ${target.ports[0]}` : `${n} ports (${target.ports[0]}-${target.ports[n - 1]})`}, as a scanner would:\n`);
    }
    report = await probe(target, {
      timeoutMs,
      localAddress: v.from,
      signal: stop.signal,
      onPort: v.json ? undefined : (r) => io.out(portLine(r)),
    });
  } catch (error) {
    if (error instanceof ProbeError) {
      if (error.code === 'GG_ERR_PROBE_TARGET') return usage(error.message);
      io.err(`ghostguard probe: ${error.message}\n`);
      return 1;
    }
    io.err(`ghostguard probe: ${(error as Error).message}\n`);
    return 1;
  }
  if (v.json) io.out(`${JSON.stringify({ ...report, verdict: verdictLine(report) })}\n`);
  else io.out(`${verdictLine(report)}\n`);
  const quiet = report.results.every((r) => r.verdict === 'SILENT');
  return v.expect === 'silent' && !quiet ? 1 : 0;
}
