/**
 * `GET /api/registrations` (the phones' bindings — never the alias token in full: it admits calls),
 * `GET /api/provider` (provider health and the addresses the guard trusts), `POST /api/selftest`.
 */
import { isUnspecifiedIp, parseIp } from '../../config/ip-address.js';
import { sendJson } from '../http-kit.js';
import type { Route } from '../route-table.js';
import type { WebState } from '../web-state.js';

/** Characters of an alias token shown: enough to tell bindings apart, far too few to guess the rest. */
export const TOKEN_SHOWN = 4;

export function guardRoutes(state: WebState): Route[] {
  const { guard, store, clock } = state.deps;
  return [
    {
      method: 'GET',
      path: '/api/registrations',
      auth: true,
      handler: ({ res }) => {
        const now = clock.now();
        const s = state.guardStatus();
        const registrations = store.bindings
          .all()
          .filter((b) => b.expiresAt > now)
          .map((b) => ({
            aor: b.aor,
            contact: b.phoneContact,
            publicAddress: `${s.publicAddress.host}:${s.publicAddress.port}`,
            token: `${b.token.slice(0, TOKEN_SHOWN)}…`,
            expiresAt: b.expiresAt,
            lastCallAt: b.lastCallAt ?? null,
            transport: b.flow.transport,
          }));
        sendJson(res, 200, { registrations });
      },
    },
    {
      method: 'GET',
      path: '/api/provider',
      auth: true,
      handler: ({ res }) => sendJson(res, 200, { ...guard.providerHealth(), domain: guard.config.provider.domain, addresses: guard.trustedProviders() }),
    },
    {
      method: 'POST',
      path: '/api/selftest',
      auth: true,
      handler: async ({ res }) => {
        const s = state.guardStatus();
        const listen = guard.config.wan.listen.address;
        const ip = parseIp(listen);
        const host = ip === null || isUnspecifiedIp(ip) ? s.publicAddress.host : listen;
        const transport = guard.config.wan.transports.includes('udp') ? 'udp' : 'tcp';
        const result = await state.selfTest.run({ host, ports: [s.wanPort], transport });
        sendJson(res, 200, result);
      },
    },
  ];
}
