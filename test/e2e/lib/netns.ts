/**
 * A lab of network namespaces for end-to-end tests: one hidden "hub" namespace holds a Linux bridge
 * per network segment (e.g. "wan", "lan"); each host (provider, phone, scanner, guard) is its own
 * namespace, joined to segments by veth pairs. Nothing is added to the machine's own namespace, so
 * no test packet can leave the lab.
 *
 * Every namespace is named `gg-<pid>-<random>-<role>`; `destroy()` ends every process the lab started
 * (by PID), then every process still inside its namespaces (by PID, from `ip netns pids`), then
 * deletes the namespaces. A lab left behind by a crashed run (its pid is dead) is removed by the next
 * `Lab.create()`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, runChild, type ExitStatus, type SpawnOptions } from './child.js';
import { toolPath } from './tools.js';

/** Matches the namespaces this harness creates; group 1 is the pid of the test process that owns them. */
const NAME_RE = /^gg-(\d+)-[0-9a-f]{6}-[a-z0-9-]+$/;

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ip` (or another short command) in the root namespace; rejects on a non-zero exit. */
function run(command: string, args: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      if (err !== null) {
        reject(new Error(`${command} ${args.join(' ')} failed (${code ?? err.message}): ${stderr.trim()}`));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills every process inside a namespace (by PID) and deletes it; synchronous, for exit paths. */
function removeNamespaceSync(ip: string, ns: string): void {
  const pids = spawnSync(ip, ['netns', 'pids', ns], { encoding: 'utf8', timeout: 5000 }).stdout ?? '';
  for (const pid of pids.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync(ip, ['netns', 'delete', ns], { timeout: 5000 });
  rmSync(join('/etc/netns', ns), { recursive: true, force: true });
}

/** Lists this harness's namespaces whose owning test process is dead, and removes them. */
export function removeStaleNamespaces(): string[] {
  const ip = toolPath('ip');
  const list = spawnSync(ip, ['netns', 'list'], { encoding: 'utf8', timeout: 5000 }).stdout ?? '';
  const stale: string[] = [];
  for (const line of list.split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    const m = NAME_RE.exec(ns);
    if (m === null || isAlive(Number(m[1]))) continue;
    stale.push(ns);
  }
  // Hosts first, hubs last: deleting a hub removes the bridges the hosts' veths hang on.
  stale.sort((a, b) => Number(a.endsWith('-hub')) - Number(b.endsWith('-hub')));
  for (const ns of stale) removeNamespaceSync(ip, ns);
  return stale;
}

export interface Interface {
  readonly segment: string;
  readonly ifname: string;
  /** Address with prefix length, e.g. "192.0.2.20/24". */
  readonly cidr: string;
  readonly address: string;
}

/** One host of the lab: a network namespace, its interfaces, and the processes started in it. */
export class Host {
  readonly role: string;
  /** The namespace's name (`ip netns exec <ns>`). */
  readonly ns: string;
  readonly interfaces: Interface[] = [];
  private readonly lab: Lab;

  constructor(lab: Lab, role: string, ns: string) {
    this.lab = lab;
    this.role = role;
    this.ns = ns;
  }

  /** The first address of the host on a segment. */
  address(segment?: string): string {
    const found = this.interfaces.find((i) => segment === undefined || i.segment === segment);
    if (found === undefined) throw new Error(`e2e: ${this.role} has no address${segment ? ` on ${segment}` : ''}`);
    return found.address;
  }

  /** Adds an address to an existing interface of this host (e.g. a second provider address). */
  async addAddress(ifname: string, cidr: string): Promise<void> {
    const iface = this.interfaces.find((i) => i.ifname === ifname);
    if (iface === undefined) throw new Error(`e2e: ${this.role} has no interface ${ifname}`);
    await this.lab.ip(['-n', this.ns, 'addr', 'add', cidr, 'dev', ifname]);
    this.interfaces.push({ segment: iface.segment, ifname, cidr, address: cidr.split('/')[0] ?? cidr });
  }

  /** Adds a route; without `via` the destination is on-link on `dev`. */
  async addRoute(destination: string, dev: string, via?: string): Promise<void> {
    const args = ['-n', this.ns, 'route', 'add', destination];
    if (via !== undefined) args.push('via', via);
    args.push('dev', dev);
    await this.lab.ip(args);
  }

  /** The argv that runs a command inside this namespace. */
  argv(command: string, args: readonly string[]): [string, string[]] {
    return [this.lab.ipPath, ['netns', 'exec', this.ns, command, ...args]];
  }

  /**
   * Starts a long-running command inside the namespace. The lab tracks it and ends it by PID on
   * destroy (`ip netns exec` execs the command, so the PID is the command's own).
   */
  spawn(name: string, command: string, args: readonly string[], options: Omit<SpawnOptions, 'logFile'> = {}): Child {
    const [cmd, argv] = this.argv(command, args);
    const child = new Child(`${this.role}/${name}`, cmd, argv, { ...options, logFile: this.lab.logPath(`${this.role}-${name}`) });
    this.lab.track(child);
    return child;
  }

  /** Runs a command inside the namespace to completion (bounded by `timeoutMs`). */
  async exec(
    name: string,
    command: string,
    args: readonly string[],
    timeoutMs: number,
    options: Omit<SpawnOptions, 'logFile'> = {},
  ): Promise<ExitStatus & { output: string; timedOut: boolean }> {
    const [cmd, argv] = this.argv(command, args);
    return runChild(`${this.role}/${name}`, cmd, argv, timeoutMs, { ...options, logFile: this.lab.logPath(`${this.role}-${name}`) });
  }

  /** Waits until something listens on `proto` `address:port` inside the namespace. */
  async waitForListener(proto: 'udp' | 'tcp', address: string, port: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const want = `${address}:${port}`;
    for (;;) {
      const { stdout } = await this.lab.ip(['netns', 'exec', this.ns, this.lab.ssPath, '-Hn', proto === 'udp' ? '-uln' : '-tln']);
      if (stdout.split('\n').some((line) => line.split(/\s+/).includes(want))) return;
      if (Date.now() > deadline) throw new Error(`e2e: nothing listens on ${proto} ${want} in ${this.role}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface LabOptions {
  /** Keep the temp directory (configs and logs) after destroy, e.g. to debug a failure. Default: GHOSTGUARD_E2E_KEEP=1. */
  readonly keepFiles?: boolean;
}

/** A set of network namespaces, bridges and processes that is removed as a whole. */
export class Lab {
  /** `gg-<pid>-<random>`: unique per run; every namespace name starts with it. */
  readonly prefix: string;
  /** Temp directory for configs and logs (`<dir>/logs`). */
  readonly dir: string;
  readonly ipPath: string;
  readonly ssPath: string;
  readonly hosts = new Map<string, Host>();
  private readonly hub: string;
  private readonly segments = new Set<string>();
  private readonly children = new Set<Child>();
  private readonly namespaces: string[] = [];
  private readonly keepFiles: boolean;
  private vethCount = 0;
  private destroyed = false;
  private readonly exitHook = (): void => this.destroySync();

  private constructor(options: LabOptions) {
    this.ipPath = toolPath('ip');
    this.ssPath = toolPath('ss');
    this.prefix = `gg-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.hub = `${this.prefix}-hub`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.prefix}-`));
    mkdirSync(join(this.dir, 'logs'));
    this.keepFiles = options.keepFiles ?? process.env['GHOSTGUARD_E2E_KEEP'] === '1';
  }

  /** Creates the hub namespace (after removing labs left behind by dead runs). */
  static async create(options: LabOptions = {}): Promise<Lab> {
    removeStaleNamespaces();
    const lab = new Lab(options);
    process.once('exit', lab.exitHook);
    await lab.addNamespace(lab.hub);
    return lab;
  }

  /** Runs `ip` with arguments; rejects with its stderr on failure. */
  ip(args: readonly string[]): Promise<CommandResult> {
    return run(this.ipPath, args);
  }

  logPath(name: string): string {
    return join(this.dir, 'logs', `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`);
  }

  /** A path in the lab's temp directory (created if `mkdir`). */
  path(name: string, mkdir = false): string {
    const p = join(this.dir, name);
    if (mkdir) mkdirSync(p, { recursive: true });
    return p;
  }

  track(child: Child): void {
    this.children.add(child);
    void child.exited.then(() => this.children.delete(child));
  }

  private async addNamespace(ns: string): Promise<void> {
    // A resolv.conf that points nowhere: `ip netns exec` bind-mounts /etc/netns/<ns>/* over /etc,
    // so a tool that tries DNS inside the lab asks a closed local port instead of a real server.
    mkdirSync(join('/etc/netns', ns), { recursive: true });
    writeFileSync(join('/etc/netns', ns, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    await this.ip(['netns', 'add', ns]);
    this.namespaces.push(ns);
    await this.ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    // IPv4 only: no IPv6 link-local addresses or router solicitations to reason about.
    await run(this.ipPath, ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  }

  /** Adds a network segment (a bridge in the hub namespace). */
  async addSegment(name: string): Promise<void> {
    if (!/^[a-z0-9]{1,8}$/.test(name)) throw new Error(`e2e: segment name "${name}" must be 1-8 of [a-z0-9]`);
    if (this.segments.has(name)) return;
    await this.ip(['-n', this.hub, 'link', 'add', `br-${name}`, 'type', 'bridge']);
    await this.ip(['-n', this.hub, 'link', 'set', `br-${name}`, 'up']);
    this.segments.add(name);
  }

  /** Adds a host (its own namespace, loopback up, IPv6 off). */
  async addHost(role: string): Promise<Host> {
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(role)) throw new Error(`e2e: host role "${role}" must be [a-z][a-z0-9-]{0,19}`);
    if (this.hosts.has(role)) throw new Error(`e2e: host ${role} exists`);
    const host = new Host(this, role, `${this.prefix}-${role}`);
    await this.addNamespace(host.ns);
    this.hosts.set(role, host);
    return host;
  }

  /**
   * Joins a host to a segment with a veth pair: `ifname` (default eth0, eth1, ...) inside the host,
   * with address `cidr` (e.g. "192.0.2.20/24"); the other end is a port of the segment's bridge.
   */
  async connect(host: Host, segment: string, cidr: string, ifname = `eth${host.interfaces.length}`): Promise<Interface> {
    if (!this.segments.has(segment)) await this.addSegment(segment);
    const hubSide = `v${++this.vethCount}`;
    await this.ip(['-n', this.hub, 'link', 'add', hubSide, 'type', 'veth', 'peer', 'name', ifname, 'netns', host.ns]);
    await this.ip(['-n', this.hub, 'link', 'set', hubSide, 'master', `br-${segment}`]);
    await this.ip(['-n', this.hub, 'link', 'set', hubSide, 'up']);
    await this.ip(['-n', host.ns, 'addr', 'add', cidr, 'dev', ifname]);
    await this.ip(['-n', host.ns, 'link', 'set', ifname, 'up']);
    const iface: Interface = { segment, ifname, cidr, address: cidr.split('/')[0] ?? cidr };
    host.interfaces.push(iface);
    return iface;
  }

  /** Ends every process (by PID) and removes every namespace; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await Promise.all([...this.children].map((c) => c.stop(1500)));
    this.destroySync();
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.removeListener('exit', this.exitHook);
    for (const child of this.children) child.signal('SIGKILL');
    // Hosts first, the hub last.
    for (const ns of [...this.namespaces].reverse()) removeNamespaceSync(this.ipPath, ns);
    if (this.keepFiles) console.warn(`[e2e] lab files kept in ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
