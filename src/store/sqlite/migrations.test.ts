import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../open-store.js';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations.js';

const clock = { now: () => 1_700_000_000_000 };

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

describe('migrate', () => {
  it('brings a new database (version 0) to the latest schema', () => {
    const db = new Database(':memory:');
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual(['bans', 'bindings', 'events', 'schema_version', 'settings']);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('applies only the missing steps to an old database and keeps its data', () => {
    const v2: Migration = {
      version: 2,
      description: 'test: a note per ban',
      up: (db) => db.exec("ALTER TABLE bans ADD COLUMN note TEXT NOT NULL DEFAULT ''"),
    };
    const db = new Database(':memory:');
    migrate(db, [MIGRATIONS[0]!]);
    db.prepare("INSERT INTO bans (address, reason, created_at, strikes, source) VALUES ('198.51.100.66', 'flood', 1, 1, 'auto')").run();
    expect(migrate(db, [MIGRATIONS[0]!, v2])).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT address, note FROM bans').all()).toEqual([{ address: '198.51.100.66', note: '' }]);
    expect(db.prepare('SELECT count(*) AS n FROM schema_version').get()).toEqual({ n: 1 });
    db.close();
  });

  it('rolls a failing step back whole, leaving the version where it was', () => {
    const broken: Migration = {
      version: 2,
      description: 'test: fails half way',
      up: (db) => {
        db.exec('CREATE TABLE half (x)');
        throw new Error('boom');
      },
    };
    const db = new Database(':memory:');
    migrate(db, [MIGRATIONS[0]!]);
    expect(() => migrate(db, [MIGRATIONS[0]!, broken])).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('wants versions 1, 2, 3 ... in order', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, description: 'x', up: () => {} }])).toThrow('expected 1');
    db.close();
  });
});

describe('openStore and schema versions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gg-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a database from a newer ghostguard with a clear error', () => {
    const path = join(dir, 'gg.db');
    openStore(path, { clock }).close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    expect(() => openStore(path, { clock })).toThrow(
      expect.objectContaining({
        code: 'GG_ERR_STORE_VERSION',
        message: expect.stringContaining(`has schema version 99, written by a newer ghostguard; this one knows versions up to ${MIGRATIONS.length}`),
      }),
    );
  });

  it("refuses someone else's SQLite database rather than adding tables to it", () => {
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER)');
    db.close();
    expect(() => openStore(path, { clock })).toThrow(expect.objectContaining({ code: 'GG_ERR_STORE_FOREIGN' }));
  });

  it('migrates an old file when it opens it', () => {
    const path = join(dir, 'gg.db');
    const v2: Migration = { version: 2, description: 'test', up: (db) => db.exec('CREATE TABLE extra (x)') };
    const old = openStore(path, { clock, migrations: [MIGRATIONS[0]!] });
    old.settings.set('wan.port', '43121');
    old.close();
    const current = openStore(path, { clock, migrations: [MIGRATIONS[0]!, v2] });
    expect(current.settings.get('wan.port')).toBe('43121');
    current.close();
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });
});
