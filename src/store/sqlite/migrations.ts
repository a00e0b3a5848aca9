/**
 * Schema migrations. The `schema_version` table holds one row: the number of the last step applied
 * (0, or no table at all, for a new database). Opening a database applies the missing steps in order,
 * each in its own transaction with the version bump; a database from a newer build is refused rather
 * than guessed at.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../store-error.js';

export interface Migration {
  /** 1, 2, 3, ... without gaps. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

const V1_SQL = `
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  last_time INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  overflow INTEGER NOT NULL DEFAULT 0,
  leg TEXT NOT NULL,
  transport TEXT NOT NULL,
  local_address TEXT NOT NULL,
  local_port INTEGER NOT NULL,
  remote_address TEXT NOT NULL,
  remote_port INTEGER NOT NULL,
  method TEXT,
  request_uri TEXT,
  from_header TEXT,
  to_header TEXT,
  user_agent TEXT,
  call_id TEXT,
  reason TEXT NOT NULL,
  reasons TEXT NOT NULL,
  family TEXT,
  explanation_en TEXT NOT NULL,
  explanation_ja TEXT NOT NULL,
  raw BLOB
);
CREATE INDEX events_last_time ON events (last_time);
CREATE INDEX events_source ON events (remote_address, id);
CREATE INDEX events_reason ON events (reason, id);

CREATE TABLE bindings (
  token TEXT PRIMARY KEY,
  aor TEXT NOT NULL,
  phone_contact TEXT NOT NULL,
  transport TEXT NOT NULL,
  local_address TEXT NOT NULL,
  local_port INTEGER NOT NULL,
  remote_address TEXT NOT NULL,
  remote_port INTEGER NOT NULL,
  account TEXT,
  expires_at INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  cseq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_call_at INTEGER
);
CREATE INDEX bindings_aor ON bindings (aor);
CREATE INDEX bindings_expires_at ON bindings (expires_at);

CREATE TABLE bans (
  address TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  family TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  strikes INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('auto', 'manual', 'blocklist'))
);
CREATE INDEX bans_expires_at ON bans (expires_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** The steps of this build, in order. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  { version: 1, description: 'events, bindings, bans, settings', up: (db) => db.exec(V1_SQL) },
]);

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The schema version of a database: 0 when it has none yet. */
export function schemaVersion(db: Database.Database): number {
  if (!hasTable(db, 'schema_version')) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings `db` up to the last step of `migrations`; returns the versions applied. Throws
 * GG_ERR_STORE_VERSION for a newer database and GG_ERR_STORE_FOREIGN for someone else's.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, name = 'the database'): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreError(
      'GG_ERR_STORE_VERSION',
      `${name} has schema version ${current}, written by a newer ghostguard; this one knows versions up to ${latest}. Upgrade ghostguard, or point "store" at another file.`,
    );
  }
  if (current === 0) {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'")
      .all() as Array<{ name: string }>;
    if (tables.length > 0) {
      throw new StoreError(
        'GG_ERR_STORE_FOREIGN',
        `${name} is an SQLite database of something else (tables ${tables.map((t) => t.name).join(', ')}); point "store" at a new file.`,
      );
    }
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  }
  const applied: number[] = [];
  for (const step of migrations.slice(current)) {
    db.transaction(() => {
      step.up(db);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(step.version);
    })();
    applied.push(step.version);
  }
  return applied;
}
