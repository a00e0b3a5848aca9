/**
 * `openStore(path, { clock })`: the embedded SQLite store (better-sqlite3) behind the four seams.
 *
 * A file database runs in WAL mode (readers such as `ghostguard events` do not block the guard) with
 * `synchronous = NORMAL` (a power cut may lose the last moments of events, never corrupt the file).
 * Opening migrates an older schema and refuses a newer one. `":memory:"` gives a private in-memory
 * database, for tests and the demo.
 */
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from './clock.js';
import { StoreError } from './store-error.js';
import type { Store } from './store.js';
import { migrate, type Migration } from './sqlite/migrations.js';
import { SqliteBanStore } from './sqlite/sqlite-ban-store.js';
import { SqliteBindingStore } from './sqlite/sqlite-binding-store.js';
import { SqliteEventStore, type EventStoreOptions } from './sqlite/sqlite-event-store.js';
import { SqliteSettingsStore } from './sqlite/sqlite-settings-store.js';
import { StoreLife } from './sqlite/store-life.js';

export interface OpenStoreOptions {
  readonly clock: Clock;
  readonly events?: EventStoreOptions;
  /** The schema steps; default this build's. Tests pass older lists to build old databases. */
  readonly migrations?: readonly Migration[];
}

export const MEMORY_STORE = ':memory:';

function openDatabase(path: string): Database.Database {
  try {
    const db = new Database(path);
    db.pragma('busy_timeout = 5000');
    if (path !== MEMORY_STORE) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    return db;
  } catch (err) {
    const hint = (err as { code?: string }).code === 'SQLITE_CANTOPEN' ? ` (does the folder ${dirname(resolve(path))} exist, and may ghostguard write there?)` : '';
    throw new StoreError('GG_ERR_STORE', `cannot open the store ${path}: ${(err as Error).message}${hint}`, { cause: err });
  }
}

export function openStore(path: string, options: OpenStoreOptions): Store {
  const db = openDatabase(path);
  try {
    migrate(db, options.migrations, path === MEMORY_STORE ? 'the in-memory store' : `the store ${path}`);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('GG_ERR_STORE', `cannot use the store ${path}: ${(err as Error).message}`, { cause: err });
  }
  const life = new StoreLife();
  const events = new SqliteEventStore(db, options.clock, options.events);
  return {
    events,
    bindings: new SqliteBindingStore(db, options.clock, life),
    bans: new SqliteBanStore(db, options.clock, life),
    settings: new SqliteSettingsStore(db, options.clock, life),
    close(): void {
      if (life.closed) return;
      try {
        events.shutdown();
      } finally {
        life.closed = true;
        db.close();
      }
    },
  };
}
