/**
 * `GET /api/events` (filtered pages of the event record, newest first), `/api/events/{id}/raw` (the
 * stored bytes of one), and the tallies `/api/sources`, `/api/families`, `/api/reasons`.
 */
import type { EventFilter, EventQuery } from '../../store/event-store.js';
import { StoreError } from '../../store/store-error.js';
import { apiEvent } from '../event-row.js';
import { ApiError, intParam, sendJson, sendText, textParam } from '../http-kit.js';
import type { Route } from '../route-table.js';
import type { WebState } from '../web-state.js';

const MAX_TIME = 8_640_000_000_000_000;

export function eventRoutes(state: WebState): Route[] {
  const { store } = state.deps;
  const tally = (path: string, by: 'source' | 'reason' | 'family', key: string): Route => ({
    method: 'GET',
    path,
    auth: true,
    handler: ({ res, url }) => {
      const limit = intParam(url.searchParams, 'limit', 1, 1000, 50);
      const rows = store.events.tally(by, filterOf(url.searchParams), limit);
      sendJson(res, 200, { [key]: rows.map((r) => ({ key: r.key, rows: r.rows, events: r.events })) });
    },
  });
  return [
    {
      method: 'GET',
      path: '/api/events',
      auth: true,
      handler: ({ res, url }) => {
        const q = url.searchParams;
        const cursor = textParam(q, 'cursor', 20);
        const query: EventQuery = { ...filterOf(q), limit: intParam(q, 'limit', 1, 1000, 100), ...(cursor === undefined ? {} : { cursor }) };
        const page = storeCall(() => store.events.query(query));
        sendJson(res, 200, { events: page.events.map(apiEvent), nextCursor: page.nextCursor });
      },
    },
    {
      method: 'GET',
      path: '/api/events/{id}/raw',
      auth: true,
      handler: ({ res, params }) => {
        const id = params['id']!;
        if (!/^[1-9][0-9]{0,14}$/.test(id)) throw new ApiError(400, 'GG_BAD_REQUEST', 'an event id is a positive whole number');
        // Pages run below a cursor id: the first row below id + 1 is the event itself when it exists.
        const [event] = storeCall(() => store.events.query({ cursor: String(Number(id) + 1), limit: 1 })).events;
        if (event === undefined || event.id !== Number(id)) throw new ApiError(404, 'GG_NOT_FOUND', `no event ${id}`);
        if (event.raw === undefined) throw new ApiError(404, 'GG_NOT_FOUND', `event ${id} has no stored message`);
        sendText(res, 200, 'text/plain; charset=utf-8', event.raw, { 'Content-Disposition': `inline; filename="event-${id}.sip"` });
      },
    },
    tally('/api/sources', 'source', 'sources'),
    tally('/api/families', 'family', 'families'),
    tally('/api/reasons', 'reason', 'reasons'),
  ];
}

function filterOf(q: URLSearchParams): EventFilter {
  const leg = textParam(q, 'leg', 3);
  if (leg !== undefined && leg !== 'wan' && leg !== 'lan') throw new ApiError(400, 'GG_BAD_REQUEST', 'leg must be wan or lan');
  const since = intParam(q, 'since', 0, MAX_TIME, undefined);
  const until = intParam(q, 'until', 0, MAX_TIME, undefined);
  const text = textParam(q, 'text');
  const reason = textParam(q, 'reason', 64);
  const family = textParam(q, 'family', 64);
  const source = textParam(q, 'source', 64);
  return {
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(text === undefined ? {} : { text }),
    ...(reason === undefined ? {} : { reason }),
    ...(family === undefined ? {} : { family }),
    ...(source === undefined ? {} : { source }),
    ...(leg === undefined ? {} : { leg }),
  };
}

/** A query the store refuses (a cursor not its own) is the client's mistake: 400. */
function storeCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof StoreError && error.code === 'GG_ERR_STORE_QUERY') throw new ApiError(400, 'GG_BAD_REQUEST', error.message);
    throw error;
  }
}
