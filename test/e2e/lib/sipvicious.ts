/**
 * SIPVicious (Debian's sipvicious 0.3) as the scanner of the lab: svmap, svwar, svcrack.
 *
 * Always given `-x <scanner address>` (else it writes 127.0.0.1 into Via/Contact) and
 * `-b <scanner address>` (it binds port 5060 on all interfaces by default); never -R/--reportback
 * nor --randomscan. HOME points into the lab directory, so its session files (~/.sipvicious) stay
 * there. Each run is bounded by a wall-clock limit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from './netns.js';
import { toolPath } from './tools.js';

export interface ScanOptions {
  /** The address the scanner sends from (and writes into Via/Contact). */
  readonly from: string;
  /** Target address and port. */
  readonly target: string;
  readonly port: number;
  /** Source port (-P); default: SIPVicious picks 5060 or the next free one. */
  readonly localPort?: number;
  /** Wall-clock limit in ms (the process is ended after it). Default 20 000. */
  readonly timeoutMs?: number;
  /** A directory for the tool's HOME (session files). */
  readonly home: string;
}

export interface ScanResult {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

function common(o: ScanOptions): string[] {
  const args = ['-x', o.from, '-b', o.from, '-p', String(o.port)];
  if (o.localPort !== undefined) args.push('-P', String(o.localPort));
  return args;
}

async function run(host: Host, name: string, command: 'svmap' | 'svwar' | 'svcrack', args: string[], o: ScanOptions): Promise<ScanResult> {
  for (const a of args) {
    if (/^(-R|--reportback|--randomscan)$/.test(a)) throw new Error(`e2e: ${command} ${a} is not allowed here`);
  }
  mkdirSync(o.home, { recursive: true });
  const env = { ...process.env, HOME: o.home };
  const r = await host.exec(name, toolPath(command), args, o.timeoutMs ?? 20_000, { env, cwd: o.home });
  return { code: r.code, output: r.output, timedOut: r.timedOut };
}

export interface SvmapOptions extends ScanOptions {
  /** Request method (-m); the ghost call is INVITE. Default OPTIONS, like svmap. */
  readonly method?: string;
  /** Request-URI user (-e); svmap's default is "100". */
  readonly extension?: string;
  /** From display name (--fromname); svmap's default is "sipvicious". */
  readonly fromName?: string;
}

/** `svmap -m METHOD target`: one request per target, Request-URI sip:100@target by default. */
export function svmap(host: Host, o: SvmapOptions): Promise<ScanResult> {
  const args = [...common(o), '-m', o.method ?? 'OPTIONS', '-v'];
  if (o.extension !== undefined) args.push('-e', o.extension);
  if (o.fromName !== undefined) args.push('--fromname', o.fromName);
  args.push(o.target);
  return run(host, 'svmap', 'svmap', args, o);
}

export interface SvwarOptions extends ScanOptions {
  /** Method (-m): REGISTER (svwar's default), OPTIONS or INVITE. */
  readonly method?: string;
  /** Extension range (-e), e.g. "100-110". Keep it small. */
  readonly extensions: string;
  /** Skip svwar's sanity check (--force), needed when every extension answers alike (a catch-all phone). */
  readonly force?: boolean;
  /** Stop after this many seconds without any response (--maximumtime). Default 5. */
  readonly maximumTime?: number;
}

/** `svwar -e RANGE -m METHOD target`: sweeps extensions (and CANCELs the INVITEs that ring). */
export function svwar(host: Host, o: SvwarOptions): Promise<ScanResult> {
  const args = [...common(o), '-m', o.method ?? 'REGISTER', '-e', o.extensions, '--maximumtime', String(o.maximumTime ?? 5), '-v'];
  if (o.force === true) args.push('--force');
  args.push(o.target);
  return run(host, 'svwar', 'svwar', args, o);
}

export interface SvcrackOptions extends ScanOptions {
  /** The user name whose password is guessed (-u). */
  readonly username: string;
  /** Guesses: a numeric range (-r, e.g. "1000-1010") or a list of words (written to a dictionary, -d). */
  readonly range?: string;
  readonly words?: readonly string[];
}

/** `svcrack -u USER -r RANGE|-d DICT target`: REGISTER digest guessing. */
export function svcrack(host: Host, o: SvcrackOptions): Promise<ScanResult> {
  const args = [...common(o), '-u', o.username, '-v'];
  if (o.words !== undefined) {
    mkdirSync(o.home, { recursive: true });
    const dict = join(o.home, 'svcrack-words.txt');
    writeFileSync(dict, `${o.words.join('\n')}\n`);
    args.push('-d', dict);
  } else {
    args.push('-r', o.range ?? '1000-1010');
  }
  args.push(o.target);
  return run(host, 'svcrack', 'svcrack', args, o);
}
