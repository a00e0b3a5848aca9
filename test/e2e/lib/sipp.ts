/**
 * SIPp (Debian's sip-tester) runs of the scenarios in test/e2e/scenarios/: calls placed from the
 * provider side, a gateway UAS, and a bounded INVITE flood. Every run is bounded by a call count
 * (-m) and a global timeout (-timeout), and SIPp's own logs go into the lab directory.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Child, ExitStatus } from './child.js';
import type { Host } from './netns.js';
import { ADDR, SIP_DOMAIN } from './addresses.js';
import { toolPath } from './tools.js';

export const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

/** The scenarios shipped with the harness. */
export type ScenarioName =
  | 'uac-ring-cancel'
  | 'uac-answer-caller-bye'
  | 'uac-answer-callee-bye'
  | 'uas-answer'
  | 'invite-flood';

export interface SippOptions {
  /** A scenario of test/e2e/scenarios (by name) or the path of another scenario XML file. */
  readonly scenario: ScenarioName | `${string}.xml`;
  /** "ip:port" to send to (the UAC's first hop); omit for a UAS. */
  readonly target?: string;
  /** Local address (-i) and port (-p) inside the host. */
  readonly address: string;
  readonly port: number;
  /** Request-URI user (-s). */
  readonly service?: string;
  /**
   * Scenario variables (-set name value), e.g. {domain: "voip.example.test"}; a scenario declares
   * the ones it uses (<Global variables="..."/>): uac-* use `domain`, invite-flood uses `ua`
   * (User-Agent, default "friendly-scanner").
   */
  readonly vars?: Readonly<Record<string, string>>;
  /** Number of calls before SIPp exits (-m). Default 1. */
  readonly calls?: number;
  /** Calls per second (-r). Default 10. */
  readonly rate?: number;
  /** Concurrent calls at most (-l). Default: `calls`. */
  readonly limit?: number;
  /** Length of the scenario's <pause/> in ms (-d). Default 500. */
  readonly pauseMs?: number;
  /** Global timeout in seconds (-timeout); SIPp stops and fails then. Default 30. */
  readonly timeoutSec?: number;
  /** "u1" (UDP, one socket) or "t1" (TCP, one connection). Default "u1". */
  readonly transport?: 'u1' | 't1';
  /** Turn off UDP retransmissions (-nr), e.g. for floods. */
  readonly noRetransmissions?: boolean;
  /** A name for logs; default the scenario name. */
  readonly name?: string;
}

export interface SippResult extends ExitStatus {
  /** SIPp exit code 0: every call succeeded. */
  readonly ok: boolean;
  readonly successful: number | undefined;
  readonly failed: number | undefined;
  readonly output: string;
}

function scenarioPath(scenario: SippOptions['scenario']): string {
  return scenario.endsWith('.xml') ? scenario : join(SCENARIO_DIR, `${scenario}.xml`);
}

/** The SIPp argv for the options (`logDir` receives the error and message logs). */
export function sippArgs(o: SippOptions, logDir: string): string[] {
  const calls = o.calls ?? 1;
  const name = o.name ?? o.scenario.replace(/[^A-Za-z0-9_-]/g, '_');
  const args = [
    '-sf', scenarioPath(o.scenario),
    '-i', o.address,
    '-p', String(o.port),
    '-t', o.transport ?? 'u1',
    '-m', String(calls),
    '-r', String(o.rate ?? 10),
    '-l', String(o.limit ?? calls),
    '-d', String(o.pauseMs ?? 500),
    '-timeout', `${o.timeoutSec ?? 30}s`,
    '-timeout_error',
    '-max_recv_loops', '1000',
    '-nostdin',
    '-trace_err', '-error_file', join(logDir, `sipp-${name}-errors.log`),
  ];
  const vars: Record<string, string> = { ...(o.scenario === 'invite-flood' ? { ua: 'friendly-scanner' } : {}), ...o.vars };
  if (o.service !== undefined) args.push('-s', o.service);
  for (const [k, v] of Object.entries(vars)) args.push('-set', k, v);
  if (o.noRetransmissions === true) args.push('-nr');
  if (o.target !== undefined) args.push(o.target);
  return args;
}

/** Reads "Successful call" and "Failed call" totals from SIPp's final statistics screen. */
export function parseSippCounts(output: string): { successful: number | undefined; failed: number | undefined } {
  const grab = (label: string): number | undefined => {
    const lines = output.split('\n').filter((l) => l.trimStart().startsWith(label));
    const last = lines.at(-1);
    if (last === undefined) return undefined;
    const nums = last.split('|').map((s) => s.trim()).filter((s) => /^\d+$/.test(s));
    return nums.length > 0 ? Number(nums.at(-1)) : undefined;
  };
  return { successful: grab('Successful call'), failed: grab('Failed call') };
}

/** A SIPp process running in a host. */
export class Sipp {
  readonly child: Child;
  readonly done: Promise<SippResult>;

  constructor(host: Host, options: SippOptions, logDir: string) {
    this.child = host.spawn(`sipp-${options.name ?? options.scenario}`, toolPath('sipp'), sippArgs(options, logDir), { cwd: logDir });
    this.done = this.child.exited.then((status) => {
      const output = this.child.output;
      return { ...status, ok: status.code === 0, output, ...parseSippCounts(output) };
    });
  }

  /** Starts SIPp and waits until it has bound its port (so a UAS is ready for calls). */
  static async start(host: Host, options: SippOptions, logDir: string): Promise<Sipp> {
    const sipp = new Sipp(host, options, logDir);
    const proto = options.transport === 't1' ? 'tcp' : 'udp';
    const ready = host.waitForListener(proto, options.address, options.port, 10_000);
    const exitedEarly = sipp.done.then((r) => {
      throw new Error(`e2e: sipp exited (${r.code}) before listening\n${r.output.slice(-2000)}`);
    });
    await Promise.race([ready, exitedEarly]);
    exitedEarly.catch(() => undefined);
    return sipp;
  }

  /** Runs SIPp to completion (bounded by its -timeout plus a margin). */
  static async run(host: Host, options: SippOptions, logDir: string): Promise<SippResult> {
    const sipp = new Sipp(host, options, logDir);
    const limitMs = ((options.timeoutSec ?? 30) + 10) * 1000;
    const timer = setTimeout(() => void sipp.child.stop(), limitMs);
    try {
      return await sipp.done;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends SIPp (by PID) if it still runs. */
  async stop(): Promise<void> {
    await this.child.stop();
  }
}

/** The caller scenarios a provider call is placed with. */
export type ProviderCallScenario = 'uac-ring-cancel' | 'uac-answer-caller-bye' | 'uac-answer-callee-bye';

/**
 * A call placed on the provider's side: SIPp on the caller address (ADDR.providerCaller) INVITEs
 * `user` through Kamailio (ADDR.provider:5060), which delivers it to the user's registered Contact.
 */
export function placeProviderCall(
  provider: Host,
  logDir: string,
  o: { scenario: ProviderCallScenario; user: string; callerPort: number; pauseMs: number },
): Sipp {
  return new Sipp(
    provider,
    {
      scenario: o.scenario,
      target: `${ADDR.provider}:5060`,
      address: ADDR.providerCaller,
      port: o.callerPort,
      service: o.user,
      vars: { domain: SIP_DOMAIN },
      pauseMs: o.pauseMs,
      timeoutSec: 15,
    },
    logDir,
  );
}
