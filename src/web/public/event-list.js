/**
 * The rows of the events table as a model, without the DOM: pages from the store (newest first), and
 * live events from the stream merged in the way the store aggregates them — one row per source
 * address and primary reason per minute window — until the next look at the store replaces those
 * live rows with the stored ones (which have an id, so their raw message can be fetched).
 */
const WINDOW_MS = 60_000;
/** Rows kept before the oldest are let go. */
const MAX_ROWS = 500;

/** The address part of "1.2.3.4:5060" or "[2001:db8::1]:5060". */
export function addressOf(source) {
  const text = String(source ?? '');
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (v6) return v6[1];
  const colon = text.lastIndexOf(':');
  return colon > 0 && text.indexOf(':') === colon ? text.slice(0, colon) : text;
}

export class EventList {
  rows = [];
  /** Cursor for the next (older) page; null on the last page. */
  cursor = null;
  /** Live rows held back while the reader is busy (scrolled down or reading an explanation). */
  pending = [];
  #seq = 0;

  static key(row) {
    return row.id !== undefined && row.id !== null ? `id-${row.id}` : row.liveKey;
  }

  /** A page from the store: the first page replaces everything, later ones are appended. */
  setPage(page, append) {
    const events = page.events ?? [];
    if (append) {
      const known = new Set(this.rows.map(EventList.key));
      this.rows.push(...events.filter((e) => !known.has(EventList.key(e))));
    } else {
      this.rows = [...events];
      this.pending = [];
    }
    this.cursor = page.nextCursor ?? null;
  }

  /**
   * A fresh first page while live. It replaces the live rows it covers with the stored ones (which
   * have an id) and brings stored rows up to date. With `hold` (the reader is busy) nothing moves:
   * rows newer than those shown wait in `pending`; else they go on top. Rows loaded with "older"
   * stay. Returns a map from replaced live keys to stored keys (to keep an open row open).
   */
  refresh(page, hold) {
    const fresh = page.events ?? [];
    const byKey = new Map(fresh.map((e) => [EventList.key(e), e]));
    const moved = new Map();
    const replaced = (row) => {
      if (row.liveKey === undefined) return byKey.get(EventList.key(row)) ?? row;
      const stored = fresh.find((e) => sameGroup(e, row));
      if (stored === undefined) return row;
      moved.set(row.liveKey, EventList.key(stored));
      return stored;
    };
    const seen = new Set();
    const unique = (row) => {
      const key = EventList.key(row);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const shown = this.rows.map(replaced).filter(unique);
    const newest = Math.max(0, ...shown.map((r) => r.id ?? 0));
    const newer = fresh.filter((e) => !seen.has(EventList.key(e)) && (e.id ?? 0) > newest);
    const pendingLive = this.pending.map(replaced).filter(unique).filter((r) => r.liveKey !== undefined);
    if (hold) {
      this.rows = shown;
      this.pending = [...pendingLive, ...newer];
    } else {
      this.rows = [];
      this.pending = [];
      this.#add([...pendingLive, ...newer, ...shown].sort((a, b) => b.time - a.time));
    }
    return moved;
  }

  /** A live event (no id): counted into its row, or a new row — held back in `pending` when `hold`. */
  live(event, hold) {
    const target = [...this.pending, ...this.rows].find((row) => sameGroup(row, event));
    if (target) {
      target.count = (target.count ?? 1) + (event.count ?? 1);
      target.lastTime = Math.max(target.lastTime ?? target.time, event.lastTime ?? event.time);
      return 'updated';
    }
    const row = { ...event, liveKey: `live-${++this.#seq}`, hasRaw: false };
    if (hold) this.pending.unshift(row);
    else this.#add([row]);
    return hold ? 'held' : 'added';
  }

  /** A stored row from the feed (it carries an id): replaced in place, else added on top (or held). */
  upsert(event, hold) {
    const key = EventList.key(event);
    for (const list of [this.rows, this.pending]) {
      const at = list.findIndex((r) => EventList.key(r) === key);
      if (at >= 0) {
        list[at] = event;
        return 'updated';
      }
    }
    if (hold) this.pending.unshift(event);
    else this.#add([event]);
    return hold ? 'held' : 'added';
  }

  showPending() {
    this.#add(this.pending);
    this.pending = [];
  }

  #add(rows) {
    this.rows.unshift(...rows);
    if (this.rows.length > MAX_ROWS) this.rows.length = MAX_ROWS;
  }
}

/** Same store row: same source address and primary reason in the same minute window. */
function sameGroup(row, event) {
  return (
    !row.overflow &&
    addressOf(row.source) === addressOf(event.source) &&
    (row.reasons ?? [])[0] === (event.reasons ?? [])[0] &&
    Math.floor(row.time / WINDOW_MS) === Math.floor(event.time / WINDOW_MS)
  );
}
