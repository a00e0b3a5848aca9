/**
 * A client of a running guard's API, for the command line (`ghostguard events`, `ghostguard bans`):
 * JSON over fetch with the token, a timeout, and errors that say what to do ("no guard answers at
 * …", "the guard wants a token …") instead of a stack trace.
 */
import type { ListenAddress } from '../config/config.js';

export const DEFAULT_DASHBOARD_URL = 'http://127.0.0.1:8080/';

export class ApiClientError extends Error {
  readonly code: 'GG_ERR_API_UNREACHABLE' | 'GG_ERR_API_AUTH' | 'GG_ERR_API';
  readonly status: number | null;
  constructor(code: ApiClientError['code'], message: string, status: number | null = null) {
    super(message);
    this.name = 'ApiClientError';
    this.code = code;
    this.status = status;
  }
}

/** The URL where a dashboard listening on `listen` is reached from this machine. */
export function dashboardUrl(listen: Pick<ListenAddress, 'address' | 'port'>): string {
  const host = listen.address === '0.0.0.0' ? '127.0.0.1' : listen.address === '::' ? '::1' : listen.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}/`;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export class ApiClient {
  readonly base: string;
  readonly #token: string | null;
  readonly #timeoutMs: number;

  constructor(base: string, token: string | null, timeoutMs = 10_000) {
    this.base = base.endsWith('/') ? base : `${base}/`;
    this.#token = token;
    this.#timeoutMs = timeoutMs;
  }

  /** A request; resolves with any status the API answers except 401 (thrown, with advice) and connection failures (thrown). */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== null) headers['authorization'] = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new ApiClientError(
        'GG_ERR_API_UNREACHABLE',
        `no ghostguard answers at ${this.base} (${cause}); is \`ghostguard run\` or \`ghostguard demo\` running? Give its dashboard with --url or --config`,
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiClientError('GG_ERR_API', `${this.base} answered something that is not ghostguard's API`, res.status);
      }
    }
    if (res.status === 401) {
      throw new ApiClientError('GG_ERR_API_AUTH', `the guard at ${this.base} wants its dashboard token: give --token TOKEN or set GHOSTGUARD_TOKEN`, 401);
    }
    return { status: res.status, body: parsed };
  }

  /** A request that must answer `expected`; otherwise the API's own error message is thrown. */
  async expect(method: 'GET' | 'POST' | 'DELETE', path: string, expected: number, body?: unknown): Promise<unknown> {
    const res = await this.request(method, path, body);
    if (res.status !== expected) throw new ApiClientError('GG_ERR_API', errorMessage(res), res.status);
    return res.body;
  }
}

/** The message of an `{ error: { code, message } }` answer, or the status. */
export function errorMessage(res: ApiResponse): string {
  const e = (res.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (e !== undefined && typeof e.message === 'string') return `${e.message} (${String(e.code)}, HTTP ${res.status})`;
  return `the guard answered HTTP ${res.status}`;
}
