/** Settings on SQLite: a key/value table, written through at once. */
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { StoreLife } from './store-life.js';
import type { SettingsStore } from '../settings-store.js';

export class SqliteSettingsStore implements SettingsStore {
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly selectAll: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly life: StoreLife,
  ) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare('INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    this.remove = db.prepare('DELETE FROM settings WHERE key = ?');
    this.selectAll = db.prepare('SELECT key, value FROM settings ORDER BY key');
  }

  get(key: string): string | undefined {
    this.life.assertOpen();
    return (this.select.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.life.assertOpen();
    this.upsert.run(key, value, this.clock.now());
  }

  delete(key: string): boolean {
    this.life.assertOpen();
    return this.remove.run(key).changes > 0;
  }

  entries(): Array<[string, string]> {
    this.life.assertOpen();
    return (this.selectAll.all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]);
  }
}
