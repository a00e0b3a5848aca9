/**
 * Who may use the dashboard and the API. On a loopback address the server is open (only this machine
 * reaches it); anywhere else it needs `dashboard.token` and refuses to start without one. The token
 * comes as `Authorization: Bearer …`, as the `gg_token` cookie that `GET /login?token=…` sets for a
 * browser, or — on the live feed only, which EventSource opens without headers — as `?token=`.
 * Comparison is constant-time (both sides hashed to the same length first).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackIp, parseIp } from '../config/ip-address.js';

export const TOKEN_COOKIE = 'gg_token';

/** Shortest token accepted off loopback. */
export const MIN_TOKEN_LENGTH = 16;

export type AuthSetup = { readonly ok: true; readonly token: string | null } | { readonly ok: false; readonly message: string };

/** The token the server demands: null on loopback (unless `requireOnLoopback` and a token is given); an error message when it is needed and missing or too short. */
export function authSetup(listenAddress: string, token: string | null, requireOnLoopback = false): AuthSetup {
  const ip = parseIp(listenAddress);
  if (ip !== null && isLoopbackIp(ip) && !(requireOnLoopback && token !== null)) return { ok: true, token: null };
  if (token === null || token.length === 0) {
    return {
      ok: false,
      message: `dashboard.listen ${listenAddress} is not a loopback address: set dashboard.token (at least ${MIN_TOKEN_LENGTH} characters) so that only you can use the dashboard and the API`,
    };
  }
  if (token.length < MIN_TOKEN_LENGTH) return { ok: false, message: `dashboard.token is too short: use at least ${MIN_TOKEN_LENGTH} characters` };
  return { ok: true, token };
}

export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The token a request carries (header, cookie, or `?token=` when `queryAllowed`), or null. */
export function presentedToken(req: IncomingMessage, url: URL, queryAllowed: boolean): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer +([^ ]+) *$/i.exec(header);
    if (m !== null) return m[1]!;
  }
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  if (cookie !== null) return cookie;
  if (queryAllowed) return url.searchParams.get('token');
  return null;
}

export function isAuthorized(req: IncomingMessage, url: URL, token: string | null, queryAllowed: boolean): boolean {
  if (token === null) return true;
  const given = presentedToken(req, url, queryAllowed);
  return given !== null && sameToken(given, token);
}

/** The Set-Cookie value that keeps the token in the browser (not readable by scripts). */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}
