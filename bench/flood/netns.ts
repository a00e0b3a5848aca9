/**
 * One network namespace per server under test (`ip netns add`, loopback up), so the kernel's UDP
 * counters (/proc/net/snmp read inside it) count only this bench's traffic; removed afterwards
 * (every process still inside it ended by PID first). Names: `ggflood-<pid>-<role>`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** USER_HZ: clock ticks per second of /proc/PID/stat (100 on Linux for x86-64 and arm64). */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const NAME_RE = /^ggflood-(\d+)-[a-z0-9-]+$/;

/** The `Udp:` counters of /proc/net/snmp. */
export type UdpCounters = Readonly<Record<string, number>>;

function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Netns {
  private removed = false;

  private constructor(readonly name: string) {}

  static create(role: string): Netns {
    if (!/^[a-z][a-z0-9-]{0,15}$/.test(role)) throw new Error(`bench:flood: bad namespace role "${role}"`);
    const ns = new Netns(`ggflood-${process.pid}-${role}`);
    ip(['netns', 'add', ns.name]);
    ip(['-n', ns.name, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Removes namespaces of earlier runs whose bench process is gone. */
  static removeStale(): string[] {
    const stale: string[] = [];
    for (const line of ip(['netns', 'list']).split('\n')) {
      const name = line.split(' ')[0] ?? '';
      const m = NAME_RE.exec(name);
      if (m === null || alive(Number(m[1]))) continue;
      new Netns(name).remove();
      stale.push(name);
    }
    return stale;
  }

  /** argv that runs `command` inside the namespace. */
  argv(command: string, args: readonly string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name, command, ...args]];
  }

  spawn(command: string, args: readonly string[], stdin = false): ChildProcess {
    const [cmd, argv] = this.argv(command, args);
    return spawn(cmd, argv, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  }

  exec(command: string, args: readonly string[], timeoutMs = 10_000): string {
    const [cmd, argv] = this.argv(command, args);
    return execFileSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs });
  }

  /** The namespace's `Udp:` counters (InDatagrams, NoPorts, InErrors, OutDatagrams, RcvbufErrors, ...). */
  udp(): UdpCounters {
    const lines = this.exec('cat', ['/proc/net/snmp']).split('\n').filter((l) => l.startsWith('Udp:'));
    const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
    if (names === undefined || values === undefined) throw new Error(`bench:flood: no Udp counters in ${this.name}`);
    return Object.fromEntries(names.map((n, i) => [n, Number(values[i])]));
  }

  /**
   * UDP sockets by local address:port (`ss -uamn`): receive buffer size (skmem rb) and datagrams
   * the kernel dropped on that socket (skmem d). Several sockets on one port (Kamailio's
   * processes share one) are summed for drops, the largest rb kept.
   */
  sockets(): Record<string, { rb: number; drops: number }> {
    const out = this.exec('ss', ['-uamnH']);
    const found: Record<string, { rb: number; drops: number }> = {};
    let local = '';
    for (const line of out.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols.length >= 4 && /:\d+$/.test(cols[3] ?? '')) local = cols[3]!;
      const m = /skmem:\(r\d+,rb(\d+),.*,d(\d+)\)/.exec(line);
      if (m !== null && local !== '') {
        const prev = found[local];
        found[local] = { rb: Math.max(prev?.rb ?? 0, Number(m[1])), drops: (prev?.drops ?? 0) + Number(m[2]) };
        local = '';
      }
    }
    return found;
  }

  /** CPU seconds (user + system) used so far by each process now inside the namespace, by PID. */
  cpuByProcess(): Map<string, number> {
    const found = new Map<string, number>();
    let pids = '';
    try {
      pids = ip(['netns', 'pids', this.name]);
    } catch {
      return found;
    }
    for (const pid of pids.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        found.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS); // utime, stime (fields 14 and 15 of stat)
      } catch {
        // exited meanwhile
      }
    }
    return found;
  }

  /** Ends every process left inside (by PID), deletes the namespace. Safe to call twice. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    let pids = '';
    try {
      pids = ip(['netns', 'pids', this.name]);
    } catch {
      // already gone
    }
    for (const pid of pids.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    try {
      ip(['netns', 'delete', this.name]);
    } catch {
      // already gone
    }
  }
}
