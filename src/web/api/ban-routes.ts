/**
 * `GET /api/bans`, `POST /api/bans` (a manual ban: `{ address, reason?, durationS? }`, null duration =
 * until removed), `DELETE /api/bans/{address}` (URL-encoded; a CIDR block as `10.0.0.0%2F8`).
 * The defense layer refuses to ban the provider, the LAN or a registered phone: 409 GG_BAN_REFUSED;
 * an address that is not one: 422 GG_INVALID. Both carry `error.refused` (the `BanRefusal` kind) and
 * `error.address` (the address asked for) beside the English `message`, for a translated display.
 * Unbanning an address that is not banned: 404 GG_NOT_FOUND with `error.address`.
 */
import { formatCidr, parseCidr } from '../../config/cidr.js';
import type { BanRefusal } from '../../defense/bans/ban-control.js';
import type { Ban } from '../../store/ban-store.js';
import { ApiError, readJson, sendEmpty, sendJson } from '../http-kit.js';
import type { Route } from '../route-table.js';
import type { WebState } from '../web-state.js';

/** Longest manual ban with an end: ten years. */
const MAX_DURATION_S = 10 * 365 * 86_400;

export function banRoutes(state: WebState): Route[] {
  const { bans } = state.deps;
  return [
    {
      method: 'GET',
      path: '/api/bans',
      auth: true,
      handler: ({ res }) => sendJson(res, 200, { bans: bans.list().map(banJson) }),
    },
    {
      method: 'POST',
      path: '/api/bans',
      auth: true,
      handler: async ({ req, res }) => {
        const body = await readJson(req);
        const request = banRequest(body);
        const outcome = bans.add({ ...request, source: 'manual' });
        if (!outcome.ok) {
          const details = refusalDetails(outcome.refused, request.address);
          if (outcome.refused === 'invalid') throw new ApiError(422, 'GG_INVALID', outcome.message, details);
          throw new ApiError(409, 'GG_BAN_REFUSED', outcome.message, details);
        }
        sendJson(res, 201, { ban: banJson(outcome.ban), dryRun: outcome.dryRun });
      },
    },
    {
      method: 'DELETE',
      path: '/api/bans/{address}',
      auth: true,
      handler: ({ res, params }) => {
        const address = params['address']!;
        if (address.length > 64) throw new ApiError(422, 'GG_INVALID', 'not an address or CIDR block', { refused: 'invalid' });
        if (!bans.remove(address)) throw new ApiError(404, 'GG_NOT_FOUND', `no ban of ${address}`, { address });
        sendEmpty(res, 204);
      },
    },
  ];
}

/** The machine fields of a refused ban: the kind, and the address in the form the message names it. */
function refusalDetails(refused: BanRefusal, requested: string): Record<string, string> {
  const cidr = parseCidr(requested);
  return { refused, address: typeof cidr === 'string' ? requested : formatCidr(cidr) };
}

export function banJson(ban: Ban): Record<string, unknown> {
  return {
    address: ban.address,
    reason: ban.reason,
    family: ban.family ?? null,
    createdAt: ban.createdAt,
    expiresAt: ban.expiresAt,
    strikes: ban.strikes,
    source: ban.source,
  };
}

function banRequest(body: unknown): { address: string; reason: string; durationMs: number | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(422, 'GG_INVALID', 'the body must be a JSON object { address, reason?, durationS? }');
  const b = body as Record<string, unknown>;
  if (typeof b['address'] !== 'string' || b['address'].length === 0 || b['address'].length > 64) {
    throw new ApiError(422, 'GG_INVALID', 'address must be an IP address or CIDR block, e.g. 198.51.100.7 or 198.51.100.0/24', { refused: 'invalid' });
  }
  const reason = b['reason'] ?? 'manual';
  if (typeof reason !== 'string' || reason.length > 200) throw new ApiError(422, 'GG_INVALID', 'reason must be a string of at most 200 characters');
  const d = b['durationS'];
  if (d !== undefined && d !== null && !(typeof d === 'number' && Number.isInteger(d) && d > 0 && d <= MAX_DURATION_S)) {
    throw new ApiError(422, 'GG_INVALID', `durationS must be a whole number of seconds from 1 to ${MAX_DURATION_S}, or null (until removed)`);
  }
  return { address: b['address'].trim(), reason: reason.length === 0 ? 'manual' : reason, durationMs: typeof d === 'number' ? d * 1000 : null };
}
