/**
 * The live feed (GET /api/stream, server-sent events): named events `stats`, `event`, `ban`,
 * `timeline` and `lab`, parsed and handed to subscribers; the browser's EventSource reconnects by
 * itself, and `onState` tells the page whether it is live.
 */
export const STREAM_KINDS = ['stats', 'event', 'ban', 'timeline', 'lab'];

export class LiveStream {
  #listeners = new Map(STREAM_KINDS.map((k) => [k, new Set()]));
  #stateListeners = new Set();
  #source = null;
  state = 'connecting';

  /** Calls `fn(data)` for every `kind` event; returns the unsubscribe function. */
  on(kind, fn) {
    this.#listeners.get(kind).add(fn);
    return () => this.#listeners.get(kind).delete(fn);
  }

  onState(fn) {
    this.#stateListeners.add(fn);
    fn(this.state);
  }

  open(url = '/api/stream') {
    if (this.#source !== null) return;
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener('open', () => this.#setState('live'));
    source.addEventListener('error', () => this.#setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting'));
    for (const kind of STREAM_KINDS) {
      source.addEventListener(kind, (message) => {
        let data;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        for (const fn of this.#listeners.get(kind)) fn(data);
      });
    }
  }

  #setState(state) {
    if (state === this.state) return;
    this.state = state;
    for (const fn of this.#stateListeners) fn(state);
  }
}
