/**
 * The server's routes, compiled once at start into one matcher (hono's lesson): each route is a method
 * and an OpenAPI-style path template (`/api/bans/{address}`), so the same list serves the dispatcher
 * and the test that holds docs/openapi.yaml to what the server really serves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Path parameters, already percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export interface Route {
  readonly method: HttpMethod;
  /** `/api/events/{id}/raw`; a trailing `{file+}` takes the rest of the path. */
  readonly path: string;
  /** Whether the route needs the token (when the dashboard has one). */
  readonly auth: boolean;
  readonly handler: Handler;
}

export type Match =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'none' }
  /** A path parameter that does not decode (bad percent-encoding). */
  | { readonly kind: 'bad-path' };

interface Compiled {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export class RouteTable {
  readonly #compiled: readonly Compiled[];
  readonly routes: readonly Route[];

  constructor(routes: readonly Route[]) {
    this.routes = routes;
    this.#compiled = routes.map(compile);
  }

  match(method: string, pathname: string): Match {
    const allowed: HttpMethod[] = [];
    for (const c of this.#compiled) {
      const m = c.pattern.exec(pathname);
      if (m === null) continue;
      if (c.route.method !== method && !(method === 'HEAD' && c.route.method === 'GET')) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      try {
        c.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return { kind: 'bad-path' };
      }
      return { kind: 'found', route: c.route, params };
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{([a-z]+)(\+?)\}/gi, (_all, name: string, rest: string) => {
    names.push(name);
    return rest === '+' ? '(.+)' : '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}
