import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { systemClock } from '../../util/clock.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

let server: Server;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'gg-blocklist-cli-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/apiban.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ipaddress: ['198.51.100.66', '198.51.100.67', '203.0.113.10'], ID: '42' }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function freshStore(): string {
  return join(mkdtempSync(join(dir, 's-')), 'gg.db');
}

function config(store: string): string {
  const path = join(dir, `gg-${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(
    path,
    [
      'provider:',
      '  domain: voip.example.test',
      '  registrar: 203.0.113.10:5060',
      '  trusted: [203.0.113.0/28]',
      'wan:',
      '  listen: 0.0.0.0:0',
      'lan:',
      '  listen: 10.77.0.1:5060',
      '  allow: [10.77.0.0/24]',
      `store: ${store}`,
      '',
    ].join('\n'),
  );
  return path;
}

async function cli(args: string[]) {
  const io = memoryIo({}, dir);
  const code = await runCli(['blocklist', ...args], io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

function bans(path: string) {
  const store = openStore(path, { clock: systemClock });
  try {
    return store.bans.list();
  } finally {
    store.close();
  }
}

describe('ghostguard blocklist import', () => {
  it('imports a text list into the store, refusing the provider and the LAN, reporting bad lines', async () => {
    const store = freshStore();
    const list = join(dir, 'list.txt');
    writeFileSync(list, '# scanners\n198.51.100.66\n203.0.113.5\n10.77.0.0/16\nbogus line\n2001:db8:bad::/48\n');
    // A path relative to the command's working directory.
    const r = await cli(['import', 'list.txt', '--config', config(store), '--expires', '2d']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Imported 2 bans from list.txt (text, 4 entries)');
    expect(r.err).toContain('list.txt:5: "bogus line": "bogus line" is not an IPv4 or IPv6 address');
    expect(r.err).toContain('Refused 1 provider, 1 lan');
    expect(r.err).toContain('203.0.113.5: 203.0.113.5 overlaps 203.0.113.0/28 (provider)');
    const stored = bans(store);
    expect(stored.map((b) => b.address).sort()).toEqual(['198.51.100.66', '2001:db8:bad::/48']);
    expect(stored[0]!.source).toBe('blocklist');
    const left = stored[0]!.expiresAt! - Date.now();
    expect(left).toBeGreaterThan(2 * 86_400_000 - 60_000);
    expect(left).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('imports APIBAN JSON from a URL on a local server', async () => {
    const store = freshStore();
    const r = await cli(['import', `${base}/apiban.json`, '--store', store, '--protect', '203.0.113.10', '--expires', 'never']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Imported 2 bans from ${base}/apiban.json (json, 3 entries), until removed.`);
    expect(bans(store).map((b) => [b.address, b.expiresAt])).toEqual([
      ['198.51.100.66', null],
      ['198.51.100.67', null],
    ]);
  });

  it('fails with a clear message on a missing file, a bad URL or bad options', async () => {
    const store = freshStore();
    expect(await cli(['import', join(dir, 'missing.txt'), '--store', store])).toMatchObject({ code: 1, err: expect.stringMatching(/cannot read .*missing\.txt/) });
    expect(await cli(['import', `${base}/gone`, '--store', store])).toMatchObject({ code: 1, err: expect.stringMatching(/answered 404/) });
    expect(await cli(['import', 'x', '--store', store, '--expires', 'soon'])).toMatchObject({ code: 2 });
    expect(await cli(['import', 'x', '--store', store, '--expires', '0m'])).toMatchObject({ code: 2, err: expect.stringMatching(/--expires takes a duration/) });
    expect(await cli(['import', 'x'])).toMatchObject({ code: 2, err: expect.stringMatching(/--config FILE .* or --store DB/) });
    expect(await cli(['delete'])).toMatchObject({ code: 2, err: expect.stringMatching(/say import or export/) });
  });
});

describe('ghostguard blocklist export', () => {
  it('exports the scanners seen as text, JSON and CSV', async () => {
    const path = freshStore();
    const store = openStore(path, { clock: systemClock });
    const now = Date.now();
    for (const [source, family] of [['198.51.100.66', 'sipvicious'], ['198.51.100.66', 'sipvicious'], ['2001:db8::66', null]] as const) {
      store.events.record({
        time: now,
        flow: { transport: 'udp', localAddress: '192.0.2.30', localPort: 40000, remoteAddress: source, remotePort: 5060 },
        leg: 'wan',
        method: 'INVITE',
        requestUri: 'sip:100@192.0.2.30',
        from: null,
        to: null,
        userAgent: null,
        callId: null,
        reasons: ['not-from-provider'],
        family,
        explanation: { en: 'x', ja: 'x' },
      });
    }
    store.close();
    const txt = await cli(['export', '--store', path]);
    expect(txt.code).toBe(0);
    expect(txt.out.split('\n').filter((l) => !l.startsWith('#') && l !== '').map((l) => l.split(' ')[0])).toEqual(['198.51.100.66', '2001:db8::66']);
    const json = JSON.parse((await cli(['export', '--store', path, '--format', 'json'])).out);
    expect(json.scanners[0]).toMatchObject({ address: '198.51.100.66', count: 2, families: ['sipvicious'] });
    const csv = (await cli(['export', '--store', path, '--format', 'csv', '--since', '1h'])).out.trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^198\.51\.100\.66,\S+Z,\S+Z,2,sipvicious$/);
    expect((await cli(['export', '--store', path, '--format', 'xml'])).code).toBe(2);
  });
});
