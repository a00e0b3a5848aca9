/**
 * The dashboard's HTTP server (node:http, no framework): the API under /api, the live feed
 * (/api/stream), /metrics, /openapi.yaml and the dashboard's files. One request's life:
 *
 *   match the route (404 / 405) → check the token (401) → run the handler → an ApiError becomes
 *   `{ "error": { "code", "message" } }` with its status; anything else is a 500 and is logged.
 *
 * `start()` listens (refusing an address off loopback without a token), `stop()` closes the live
 * feed, the timers and every connection.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, sendError, sendEmpty, sendJson, sendText } from './http-kit.js';
import { authSetup, isAuthorized, sameToken, tokenCookie } from './auth.js';
import { banRoutes } from './api/ban-routes.js';
import { eventRoutes } from './api/event-routes.js';
import { guardRoutes } from './api/guard-routes.js';
import { overviewRoutes } from './api/overview-routes.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics.js';
import { countBansInForce } from './metrics-bans.js';
import { RouteTable, type Route } from './route-table.js';
import { DEFAULT_PUBLIC_DIR, serveFile } from './static-files.js';
import type { WebDeps } from './web-deps.js';
import { WebState } from './web-state.js';

export const OPENAPI_FILE = new URL('../../docs/openapi.yaml', import.meta.url);

export interface WebListen {
  readonly address: string;
  readonly port: number;
}

export class WebServerError extends Error {
  readonly code: 'GG_ERR_WEB_AUTH' | 'GG_ERR_WEB_LISTEN';
  constructor(code: 'GG_ERR_WEB_AUTH' | 'GG_ERR_WEB_LISTEN', message: string) {
    super(message);
    this.name = 'WebServerError';
    this.code = code;
  }
}

export class WebServer {
  readonly #deps: WebDeps;
  readonly #state: WebState;
  readonly #table: RouteTable;
  #token: string | null = null;
  #server: Server | undefined;

  constructor(deps: WebDeps) {
    this.#deps = deps;
    this.#state = new WebState(deps);
    this.#table = new RouteTable([...this.#ownRoutes(), ...overviewRoutes(this.#state), ...eventRoutes(this.#state), ...banRoutes(this.#state), ...guardRoutes(this.#state)]);
  }

  /** Every route the server answers (for the OpenAPI coverage test). */
  get routes(): readonly Route[] {
    return this.#table.routes;
  }

  /** Listens; resolves with the URL. Throws GG_ERR_WEB_AUTH off loopback without a token, GG_ERR_WEB_LISTEN when the port is taken. */
  async start(listen: WebListen, token: string | null, options: { readonly requireTokenOnLoopback?: boolean } = {}): Promise<string> {
    const auth = authSetup(listen.address, token, options.requireTokenOnLoopback);
    if (!auth.ok) throw new WebServerError('GG_ERR_WEB_AUTH', auth.message);
    this.#token = auth.token;
    const server = createServer((req, res) => void this.#handle(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.maxHeadersCount = 64;
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((done, fail) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        fail(new WebServerError('GG_ERR_WEB_LISTEN', `the dashboard cannot listen on ${listen.address}:${listen.port}: ${error.code ?? error.message}`)),
      );
      server.listen(listen.port, listen.address, () => done());
    });
    this.#server = server;
    this.#state.start();
    const at = server.address() as AddressInfo;
    const host = at.family === 'IPv6' ? `[${at.address}]` : at.address;
    return `http://${host}:${at.port}/`;
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#state.stop();
    if (server === undefined) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    } catch {
      return sendError(res, new ApiError(400, 'GG_BAD_REQUEST', 'the request target is not a URL path'));
    }
    try {
      const match = this.#table.match(req.method ?? 'GET', url.pathname);
      if (match.kind === 'none') throw new ApiError(404, 'GG_NOT_FOUND', `nothing at ${url.pathname.slice(0, 100)}`);
      if (match.kind === 'bad-path') throw new ApiError(400, 'GG_BAD_REQUEST', 'the path is not well percent-encoded');
      if (match.kind === 'wrong-method') {
        return sendError(res, new ApiError(405, 'GG_METHOD_NOT_ALLOWED', `use ${match.allowed.join(' or ')} here`), { Allow: match.allowed.join(', ') });
      }
      if (match.route.auth && !isAuthorized(req, url, this.#token, url.pathname === '/api/stream')) {
        return sendError(res, new ApiError(401, 'GG_UNAUTHORIZED', 'this needs the dashboard token (Authorization: Bearer TOKEN, or open /login?token=TOKEN once)'), {
          'WWW-Authenticate': 'Bearer realm="ghostguard"',
        });
      }
      await match.route.handler({ req, res, url, params: match.params });
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error);
      this.#deps.logger?.error('dashboard request failed', { path: url.pathname.slice(0, 100), error: String(error) });
      sendError(res, new ApiError(500, 'GG_INTERNAL', 'the server failed to answer this request; see the guard log'));
    }
  }

  #ownRoutes(): Route[] {
    const publicDir = this.#deps.publicDir ?? DEFAULT_PUBLIC_DIR;
    const state = this.#state;
    return [
      { method: 'GET', path: '/', auth: false, handler: ({ res }) => serveFile(res, publicDir, 'index.html') },
      { method: 'GET', path: '/assets/{file}', auth: false, handler: ({ res, params }) => serveFile(res, publicDir, params['file']!) },
      {
        method: 'GET',
        path: '/login',
        auth: false,
        handler: ({ res, url }) => {
          const token = this.#token;
          if (token === null) return sendEmpty(res, 302, { Location: '/' });
          const given = url.searchParams.get('token');
          if (given === null || !sameToken(given, token)) throw new ApiError(401, 'GG_UNAUTHORIZED', 'wrong or missing token: open /login?token=TOKEN');
          sendEmpty(res, 302, { Location: '/', 'Set-Cookie': tokenCookie(token) });
        },
      },
      {
        method: 'GET',
        path: '/api/stream',
        auth: true,
        handler: ({ res }) => {
          if (!state.feed.add(res)) throw new ApiError(503, 'GG_BUSY', 'too many live feed clients; try again later');
          // The newest picture at once, so that a new page need not wait for the next second.
          res.write(`event: stats\ndata: ${JSON.stringify({ t: this.#deps.clock.now(), totals: state.totals(), feed: state.feed.stats() })}\n\n`);
        },
      },
      {
        method: 'GET',
        path: '/metrics',
        auth: true,
        handler: ({ res }) => {
          const { guard, store, clock } = this.#deps;
          const now = clock.now();
          const stats = guard.stats();
          const text = renderMetrics({
            stats,
            readers: stats.readers,
            blockedByFamily: state.blockedByFamily,
            bansInForce: countBansInForce(this.#deps.bans),
            bansAdded: state.bansAdded,
            registrations: store.bindings.all().filter((b) => b.expiresAt > now).length,
            providerRegistered: guard.providerHealth().registered,
            uptimeSeconds: (now - state.startedAt) / 1000,
            startTimeSeconds: Math.floor(state.startedAt / 1000),
          });
          sendText(res, 200, METRICS_CONTENT_TYPE, text);
        },
      },
      {
        method: 'GET',
        path: '/openapi.yaml',
        auth: false,
        handler: async ({ res }) => {
          const text = await readFile(OPENAPI_FILE, 'utf8').catch(() => null);
          if (text === null) throw new ApiError(500, 'GG_INTERNAL', 'docs/openapi.yaml is missing from this installation');
          sendText(res, 200, 'application/yaml; charset=utf-8', text);
        },
      },
      {
        method: 'GET',
        path: '/api',
        auth: false,
        handler: ({ res }) => sendJson(res, 200, { openapi: '/openapi.yaml', routes: this.#table.routes.map((r) => `${r.method} ${r.path}`) }),
      },
    ];
  }
}
