import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, until, type WebFixture } from '../../web/web-test-kit.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

const TOKEN = 'cli-test-token-0123456789';
let f: WebFixture;
let dir: string;
beforeAll(async () => {
  f = await startFixture('127.0.44', {}, { address: '127.0.0.1', port: 0 }, TOKEN);
  dir = mkdtempSync(join(tmpdir(), 'gg-bans-'));
}, 30_000);
afterAll(async () => {
  await f?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = { GHOSTGUARD_TOKEN: TOKEN }) {
  const io = memoryIo(env, dir);
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('ghostguard bans / events over the API of a running guard', () => {
  it('bans add, list, remove; refuses the provider with the API\'s reason', async () => {
    const url = ['--url', f.url];
    const added = await cli(['bans', 'add', '198.51.100.0/24', '--reason', 'scanner range', '--duration', '2h', ...url]);
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toMatch(/^Banned 198\.51\.100\.0\/24 until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\n$/);
    const ban = f.lab.guard.bans.list().find((b) => b.address === '198.51.100.0/24')!;
    expect(ban.expiresAt! - ban.createdAt).toBe(7_200_000);

    const listed = await cli(['bans', 'list', ...url]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/198\.51\.100\.0\/24 +manual +until .*scanner range/);
    const json = await cli(['bans', 'list', '--json', ...url]);
    expect(JSON.parse(json.out.trim().split('\n')[0]!)).toMatchObject({ address: '198.51.100.0/24', source: 'manual' });

    const refused = await cli(['bans', 'add', '127.0.44.2', ...url]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/ghostguard bans: .*GG_BAN_REFUSED, HTTP 409/);

    expect(await cli(['bans', 'remove', '198.51.100.0/24', ...url])).toMatchObject({ code: 0, out: 'Removed the ban of 198.51.100.0/24.\n' });
    const again = await cli(['bans', 'remove', '198.51.100.0/24', ...url]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('HTTP 404');
    expect((await cli(['bans', 'list', ...url])).out).not.toContain('198.51.100.0/24');
  });

  it('events --url reads /api/events, with filters, text and JSON', async () => {
    await until('blocked events', () => f.store.events.count().rows >= 3);
    const text = await cli(['events', '--url', f.url, '--limit', '3']);
    expect(text.code).toBe(0);
    const heads = text.out.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(heads).toHaveLength(3);
    expect(heads[0]).toMatch(/127\.0\.44\.\d+:\d+ {2}\S+ {2}\S+/);
    const json = await cli(['events', '--url', f.url, '--limit', '5', '--reason', 'not-from-provider', '--json']);
    const rows = json.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.reasons).toContain('not-from-provider');
  });

  it('finds the guard and its token through --config, and says so plainly when the token is missing or nobody answers', async () => {
    const port = Number(new URL(f.url).port);
    writeFileSync(
      join(dir, 'gg.yaml'),
      ['provider:', '  domain: voip.example.test', 'lan:', '  listen: 127.0.0.1:5060', 'dashboard:', `  listen: 127.0.0.1:${port}`, `  token: ${TOKEN}`, ''].join('\n'),
    );
    const viaConfig = await cli(['bans', 'list', '--config', 'gg.yaml'], {});
    expect(viaConfig).toMatchObject({ code: 0 });

    const noToken = await cli(['bans', 'list', '--url', f.url], {});
    expect(noToken.code).toBe(1);
    expect(noToken.err).toContain('wants its dashboard token: give --token TOKEN or set GHOSTGUARD_TOKEN');
    expect((await cli(['bans', 'list', '--url', f.url, '--token', TOKEN], {})).code).toBe(0);

    const nobody = await cli(['events', '--url', 'http://127.0.0.1:9/'], {});
    expect(nobody.code).toBe(1);
    expect(nobody.err).toMatch(/no ghostguard answers at http:\/\/127\.0\.0\.1:9\/ .*is `ghostguard run` or `ghostguard demo` running\?/);
  });

  it('refuses bad usage with exit 2', async () => {
    for (const args of [['bans'], ['bans', 'ban', 'x'], ['bans', 'add'], ['bans', 'list', '1.2.3.4'], ['bans', 'add', '1.2.3.4', '--duration', 'soon'], ['bans', 'remove', '1.2.3.4', '--reason', 'x'], ['bans', 'list', '--url', 'ftp://x']]) {
      expect((await cli(args)).code, args.join(' ')).toBe(2);
    }
  });
});
