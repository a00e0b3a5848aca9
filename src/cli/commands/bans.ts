/**
 * `ghostguard bans list|add|remove`: operates the bans of a running guard through its API
 * (src/web). Where the guard is: `--url`, else the dashboard of `--config FILE`, else
 * http://127.0.0.1:8080; the token: `--token`, else GHOSTGUARD_TOKEN, else the config's.
 */
import { DEFAULT_DASHBOARD_URL } from '../../web/api-client.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { API_OPTIONS, apiClient, withApi } from './api-target.js';
import { parseDuration } from './events.js';

export const bansUsage = `Usage: ghostguard bans list [--json]
       ghostguard bans add ADDRESS [--reason TEXT] [--duration 1h]
       ghostguard bans remove ADDRESS

Lists, adds and removes bans of a running guard (ADDRESS: an IP address or a CIDR block such as
198.51.100.0/24). The provider, the LAN and registered phones are never banned.
  --reason TEXT     why (shown in the dashboard; default "manual")
  --duration D      how long, e.g. 30m, 12h, 7d (default: until removed)
  --url URL         the guard's dashboard (default: from --config, else ${DEFAULT_DASHBOARD_URL})
  --config FILE     the guard's config (for its dashboard address and token)
  --token TOKEN     the dashboard token (default: GHOSTGUARD_TOKEN, else the config's)
  --json            list as one JSON object per ban`;

interface BanJson {
  readonly address: string;
  readonly reason: string;
  readonly family: string | null;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly strikes: number;
  readonly source: string;
}

export async function bansCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('bans', bansUsage, args, io, {
    allowPositionals: true,
    options: { ...API_OPTIONS, reason: { type: 'string' }, duration: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  const [action, address, ...extra] = parsed.positionals;
  if (action === undefined) return usage('say list, add ADDRESS or remove ADDRESS');
  if (action !== 'list' && action !== 'add' && action !== 'remove') return usage(`unknown action '${action}'`);
  if (action === 'list' ? address !== undefined : address === undefined || extra.length > 0) {
    return usage(action === 'list' ? 'list takes no address' : `${action} takes one ADDRESS`);
  }
  if (action !== 'add' && (v.reason !== undefined || v.duration !== undefined)) return usage('--reason and --duration go with add');
  const durationMs = v.duration === undefined ? null : parseDuration(v.duration);
  if (durationMs === null && v.duration !== undefined) return usage('--duration takes a duration such as 30m, 12h or 7d');
  const client = apiClient(v, io, 'bans');
  if (typeof client === 'number') return client;

  return withApi(io, 'bans', async () => {
    if (action === 'list') {
      const body = (await client.expect('GET', '/api/bans', 200)) as { bans: BanJson[] };
      if (v.json) for (const ban of body.bans) io.out(`${JSON.stringify(ban)}\n`);
      else if (body.bans.length === 0) io.out('No bans in force.\n');
      else for (const ban of body.bans) io.out(banLine(ban));
      return 0;
    }
    if (action === 'add') {
      const body = (await client.expect('POST', '/api/bans', 201, {
        address,
        ...(v.reason === undefined ? {} : { reason: v.reason }),
        durationS: durationMs === null ? null : Math.max(1, Math.round(durationMs / 1000)),
      })) as { ban: BanJson; dryRun?: boolean };
      io.out(`Banned ${body.ban.address} ${body.ban.expiresAt === null ? 'until removed' : `until ${isoTime(body.ban.expiresAt)}`}${body.dryRun ? ' (dry run: only shown, not enforced)' : ''}.\n`);
      return 0;
    }
    await client.expect('DELETE', `/api/bans/${encodeURIComponent(address!)}`, 204);
    io.out(`Removed the ban of ${address}.\n`);
    return 0;
  });
}

function banLine(b: BanJson): string {
  const until = b.expiresAt === null ? 'until removed' : `until ${isoTime(b.expiresAt)}`;
  return `${b.address.padEnd(20)} ${b.source.padEnd(9)} ${until.padEnd(26)} ${b.strikes > 1 ? `strike ${b.strikes}  ` : ''}${b.reason}${b.family ? ` [${b.family}]` : ''}\n`;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
