/**
 * Writes ban changes to the store in batches: every change made in one turn of the event loop (a
 * blocklist import of 10,000 entries, a burst of auto-bans) becomes one transaction, written in a
 * microtask, so `BanControl.add` stays fast. A failed write is logged, never thrown at the caller.
 */
import type { Ban, BanStore } from '../../store/ban-store.js';
import type { Logger } from '../../transport/logger.js';

export class BanJournal {
  readonly #store: BanStore | null;
  readonly #logger: Logger;
  /** address → the ban to write, or null to delete. */
  #pending = new Map<string, Ban | null>();
  #scheduled = false;

  constructor(store: BanStore | null, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  put(ban: Ban): void {
    this.#pending.set(ban.address, ban);
    this.#schedule();
  }

  remove(address: string): void {
    this.#pending.set(address, null);
    this.#schedule();
  }

  /** Writes what is pending now. */
  flush(): void {
    const pending = this.#pending;
    this.#pending = new Map();
    if (this.#store === null || pending.size === 0) return;
    const puts: Ban[] = [];
    try {
      for (const [address, ban] of pending) {
        if (ban === null) this.#store.remove(address);
        else puts.push(ban);
      }
      if (puts.length > 0) this.#store.putMany(puts);
    } catch (err) {
      this.#logger.error('bans not saved to the store', { bans: puts.length, error: String(err) });
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.flush();
    });
  }
}
