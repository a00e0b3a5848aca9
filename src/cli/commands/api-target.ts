/**
 * Where the API commands (`ghostguard events`, `ghostguard bans`) find the running guard: `--url`,
 * else the dashboard of `--config FILE`, else http://127.0.0.1:8080; the token: `--token`, else
 * GHOSTGUARD_TOKEN, else the config's `dashboard.token`.
 */
import { resolve } from 'node:path';
import { formatConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { ApiClient, ApiClientError, DEFAULT_DASHBOARD_URL, dashboardUrl } from '../../web/api-client.js';
import type { CliIo } from '../io.js';

/** The options every API command takes. */
export const API_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string', short: 'c' },
} as const;

/** The client for `--url`/`--config`/`--token`; or the exit status after telling what is wrong. */
export function apiClient(values: { url?: string | undefined; token?: string | undefined; config?: string | undefined }, io: CliIo, command: string): ApiClient | number {
  let url = values.url;
  let token = values.token ?? io.env['GHOSTGUARD_TOKEN'] ?? null;
  if (values.config !== undefined) {
    const result = loadConfig(resolve(io.cwd, values.config));
    if (!result.ok) {
      io.err(`ghostguard ${command}: ${values.config}: ${result.errors.length} problem(s)\n`);
      for (const error of result.errors) io.err(`  ${formatConfigError(error)}\n`);
      return 1;
    }
    url ??= dashboardUrl(result.config.dashboard.listen);
    token ??= result.config.dashboard.token;
  }
  url ??= DEFAULT_DASHBOARD_URL;
  if (!/^https?:\/\/[^/]+/i.test(url)) {
    io.err(`ghostguard ${command}: --url must be an http:// or https:// URL, e.g. ${DEFAULT_DASHBOARD_URL}\n`);
    return 2;
  }
  return new ApiClient(url, token === '' ? null : token);
}

/** Runs an API call, turning a client error into a message and exit status 1. */
export async function withApi(io: CliIo, command: string, call: () => Promise<number>): Promise<number> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiClientError)) throw error;
    io.err(`ghostguard ${command}: ${error.message}\n`);
    return 1;
  }
}

