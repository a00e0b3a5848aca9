/** The guard's ban table (src/store/sqlite/migrations.ts `bans`), read-only from a second connection. */
import Database from 'better-sqlite3';

export interface GuardBanRow {
  readonly address: string;
  readonly reason: string;
  readonly family: string | null;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly strikes: number;
  readonly source: string;
}

export function readBans(storePath: string): GuardBanRow[] {
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return db.prepare('SELECT * FROM bans ORDER BY created_at, address').all() as GuardBanRow[];
  } finally {
    db.close();
  }
}

/** Polls the ban table until `done(rows)` holds; bounded by `timeoutMs`. */
export async function waitForBans(storePath: string, what: string, done: (rows: GuardBanRow[]) => boolean, timeoutMs = 15_000): Promise<GuardBanRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = readBans(storePath);
    if (done(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`e2e: no ${what} in the guard's ban table within ${timeoutMs} ms: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resident memory of a process in KiB (/proc/PID/status VmRSS). */
export async function rssKiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (m === null) throw new Error(`e2e: no VmRSS for pid ${pid}`);
  return Number(m[1]);
}
