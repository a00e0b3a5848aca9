import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { systemClock } from '../../util/clock.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';
import { parseDuration } from './events.js';

function storeWithEvents(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gg-events-')), 'gg.db');
  const store = openStore(path, { clock: systemClock });
  const base = {
    flow: { transport: 'udp', localAddress: '192.0.2.30', localPort: 40211, remoteAddress: '198.51.100.66', remotePort: 5060 },
    leg: 'wan' as const,
    requestUri: 'sip:100@192.0.2.30',
    from: '"sipvicious"<sip:100@1.1.1.1>;tag=1',
    to: '"sipvicious"<sip:100@1.1.1.1>',
    userAgent: 'friendly-scanner',
    callId: '1234',
    family: 'sipvicious',
    explanation: { en: "Blocked a call from '100' sent straight to you from 198.51.100.66.", ja: '198.51.100.66 から直接送られてきた着信をブロックしました。' },
  };
  for (let i = 0; i < 5; i++) store.events.record({ ...base, time: Date.now() - 1000 + i, method: 'INVITE', reasons: ['not-from-provider', 'no-alias'] });
  store.events.record({ ...base, time: Date.now(), method: 'OPTIONS', reasons: ['malformed'], flow: { ...base.flow, remoteAddress: '203.0.113.99' } });
  store.close();
  return path;
}

describe('ghostguard events', () => {
  it('lists recent blocked requests with their explanation, floods counted in one row', async () => {
    const io = memoryIo();
    expect(await runCli(['events', '--store', storeWithEvents()], io)).toBe(0);
    const out = io.stdout.join('');
    expect(out).toContain('198.51.100.66  INVITE  not-from-provider,no-alias  [sipvicious] ×5');
    expect(out).toContain("Blocked a call from '100' sent straight to you");
    expect(out).toContain('203.0.113.99  OPTIONS  malformed');
  });

  it('filters by source, speaks Japanese, and prints JSON', async () => {
    const io = memoryIo();
    expect(await runCli(['events', '--store', storeWithEvents(), '--source', '198.51.100.66', '--lang', 'ja', '--json'], io)).toBe(0);
    const rows = io.stdout.join('').trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 5, method: 'INVITE', family: 'sipvicious' });
    expect(rows[0].explanation.ja).toContain('ブロック');
  });

  it('explains usage errors', async () => {
    const io = memoryIo();
    expect(await runCli(['events', '--store', 'x.db', '--since', 'yesterday'], io)).toBe(2);
    expect(io.stderr.join('')).toContain('--since takes a duration');
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('7 days')).toBeNull();
  });
});
