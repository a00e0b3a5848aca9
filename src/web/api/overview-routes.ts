/** `GET /api/status`, `/api/stats`, `/api/timeline`: what runs, the counters, the per-minute picture. */
import { intParam, sendJson } from '../http-kit.js';
import type { Route } from '../route-table.js';
import type { WebState } from '../web-state.js';

export function overviewRoutes(state: WebState): Route[] {
  const { guard, lab, clock, version } = state.deps;
  return [
    {
      method: 'GET',
      path: '/api/status',
      auth: true,
      handler: ({ res }) => {
        const s = state.guardStatus();
        sendJson(res, 200, {
          version,
          startedAt: state.startedAt,
          demo: lab != null,
          guard: {
            wanPort: s.wanPort,
            lan: s.lan,
            publicAddress: { host: s.publicAddress.host, port: s.publicAddress.port },
            providerRewritesUri: s.providerRewritesUri,
            bindings: s.bindings,
            dialogs: s.dialogs,
            listening: guard.listening(),
          },
          defense: guard.defenseStatus(),
          tally: lab == null ? null : lab.tally(),
          lang: null,
        });
      },
    },
    {
      method: 'GET',
      path: '/api/stats',
      auth: true,
      handler: ({ res }) => sendJson(res, 200, { totals: state.totals(), guard: guard.stats() }),
    },
    {
      method: 'GET',
      path: '/api/timeline',
      auth: true,
      handler: ({ res, url }) => {
        const minutes = intParam(url.searchParams, 'minutes', 1, 1440, 60);
        sendJson(res, 200, { buckets: state.timeline.buckets(minutes, clock.now()) });
      },
    },
  ];
}
