/**
 * Bindings on SQLite, with every binding also held in memory: `getByToken` on the call path is a map
 * lookup, and each change is written through at once (REGISTERs are rare next to packets).
 */
import type Database from 'better-sqlite3';
import type { Binding, BindingStore } from '../binding-store.js';
import type { Clock } from '../clock.js';
import type { StoreLife } from './store-life.js';

interface BindingRow {
  token: string;
  aor: string;
  phone_contact: string;
  transport: string;
  local_address: string;
  local_port: number;
  remote_address: string;
  remote_port: number;
  account: string | null;
  expires_at: number;
  call_id: string;
  cseq: number;
  created_at: number;
  last_call_at: number | null;
}

function fromRow(row: BindingRow): Binding {
  const binding: Binding = {
    token: row.token,
    aor: row.aor,
    phoneContact: row.phone_contact,
    flow: {
      transport: row.transport,
      localAddress: row.local_address,
      localPort: row.local_port,
      remoteAddress: row.remote_address,
      remotePort: row.remote_port,
    },
    expiresAt: row.expires_at,
    callId: row.call_id,
    cseq: row.cseq,
    createdAt: row.created_at,
  };
  return {
    ...binding,
    ...(row.account !== null ? { account: row.account } : {}),
    ...(row.last_call_at !== null ? { lastCallAt: row.last_call_at } : {}),
  };
}

/** A frozen copy, so that callers cannot change the cached binding behind the store's back. */
function snapshot(b: Binding): Binding {
  return Object.freeze({ ...b, flow: Object.freeze({ ...b.flow }) });
}

export class SqliteBindingStore implements BindingStore {
  private readonly cache = new Map<string, Binding>();
  private readonly upsert: Database.Statement;
  private readonly delete: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly life: StoreLife,
  ) {
    this.upsert = db.prepare(`INSERT OR REPLACE INTO bindings (token, aor, phone_contact, transport, local_address,
      local_port, remote_address, remote_port, account, expires_at, call_id, cseq, created_at, last_call_at)
      VALUES (@token, @aor, @phoneContact, @transport, @localAddress, @localPort, @remoteAddress, @remotePort,
      @account, @expiresAt, @callId, @cseq, @createdAt, @lastCallAt)`);
    this.delete = db.prepare('DELETE FROM bindings WHERE token = ?');
    for (const row of db.prepare('SELECT * FROM bindings').all() as BindingRow[]) {
      this.cache.set(row.token, snapshot(fromRow(row)));
    }
  }

  put(binding: Binding): void {
    this.life.assertOpen();
    const f = binding.flow;
    this.upsert.run({
      token: binding.token,
      aor: binding.aor,
      phoneContact: binding.phoneContact,
      transport: f.transport,
      localAddress: f.localAddress,
      localPort: f.localPort,
      remoteAddress: f.remoteAddress,
      remotePort: f.remotePort,
      account: binding.account ?? null,
      expiresAt: binding.expiresAt,
      callId: binding.callId,
      cseq: binding.cseq,
      createdAt: binding.createdAt,
      lastCallAt: binding.lastCallAt ?? null,
    });
    this.cache.set(binding.token, snapshot(binding));
  }

  getByToken(token: string): Binding | undefined {
    this.life.assertOpen();
    return this.cache.get(token);
  }

  listByAor(aor: string): Binding[] {
    this.life.assertOpen();
    return [...this.cache.values()].filter((b) => b.aor === aor);
  }

  remove(token: string): boolean {
    this.life.assertOpen();
    this.delete.run(token);
    return this.cache.delete(token);
  }

  all(): Binding[] {
    this.life.assertOpen();
    return [...this.cache.values()];
  }

  size(): number {
    this.life.assertOpen();
    return this.cache.size;
  }

  purgeExpired(now: number = this.clock.now()): Binding[] {
    this.life.assertOpen();
    const expired = [...this.cache.values()].filter((b) => b.expiresAt <= now);
    if (expired.length === 0) return expired;
    this.db.transaction(() => {
      for (const b of expired) this.delete.run(b.token);
    })();
    for (const b of expired) this.cache.delete(b.token);
    return expired;
  }
}
