/** Bans on SQLite: written through at once, read by the defense layer at start and by operators. */
import type Database from 'better-sqlite3';
import type { Ban, BanListOptions, BanSource, BanStore } from '../ban-store.js';
import type { Clock } from '../clock.js';
import type { StoreLife } from './store-life.js';

interface BanRow {
  address: string;
  reason: string;
  family: string | null;
  created_at: number;
  expires_at: number | null;
  strikes: number;
  source: BanSource;
}

function fromRow(row: BanRow): Ban {
  const ban: Ban = {
    address: row.address,
    reason: row.reason,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    strikes: row.strikes,
    source: row.source,
  };
  return row.family === null ? ban : { ...ban, family: row.family };
}

export class SqliteBanStore implements BanStore {
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly delete: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly life: StoreLife,
  ) {
    this.upsert = db.prepare(`INSERT OR REPLACE INTO bans (address, reason, family, created_at, expires_at, strikes, source)
      VALUES (@address, @reason, @family, @createdAt, @expiresAt, @strikes, @source)`);
    this.select = db.prepare('SELECT * FROM bans WHERE address = ?');
    this.delete = db.prepare('DELETE FROM bans WHERE address = ?');
  }

  put(ban: Ban): void {
    this.life.assertOpen();
    this.upsert.run({ ...ban, family: ban.family ?? null });
  }

  putMany(bans: readonly Ban[]): void {
    this.life.assertOpen();
    this.db.transaction(() => {
      for (const ban of bans) this.put(ban);
    })();
  }

  get(address: string): Ban | undefined {
    this.life.assertOpen();
    const row = this.select.get(address) as BanRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  remove(address: string): boolean {
    this.life.assertOpen();
    return this.delete.run(address).changes > 0;
  }

  list(options: BanListOptions = {}): Ban[] {
    this.life.assertOpen();
    const clauses: string[] = [];
    const params: Array<string | number> = [];
    if (options.activeAt !== undefined) {
      clauses.push('(expires_at IS NULL OR expires_at > ?)');
      params.push(options.activeAt);
    }
    if (options.source !== undefined) {
      clauses.push('source = ?');
      params.push(options.source);
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const limit = options.limit === undefined ? -1 : Math.max(0, Math.trunc(options.limit));
    const rows = this.db.prepare(`SELECT * FROM bans ${where} ORDER BY created_at, address LIMIT ?`).all(...params, limit) as BanRow[];
    return rows.map(fromRow);
  }

  purgeExpired(now: number = this.clock.now()): number {
    this.life.assertOpen();
    return this.db.prepare('DELETE FROM bans WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now).changes;
  }
}
