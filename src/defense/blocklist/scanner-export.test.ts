import { afterEach, describe, expect, it } from 'vitest';
import type { GuardEvent } from '../../store/guard-event.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { parseBlocklist } from './parse-blocklist.js';
import { collectSightings, formatSightings } from './scanner-export.js';

const T0 = 1_700_000_000_000;

function event(time: number, source: string, family: string | null, leg: 'wan' | 'lan' = 'wan'): GuardEvent {
  return {
    time,
    flow: { transport: 'udp', localAddress: '192.0.2.30', localPort: 5071, remoteAddress: source, remotePort: 5060 },
    leg,
    method: 'INVITE',
    requestUri: 'sip:100@192.0.2.30',
    from: null,
    to: null,
    userAgent: 'friendly-scanner',
    callId: null,
    reasons: ['not-from-provider'],
    family,
    explanation: { en: 'Blocked.', ja: 'ブロック。' },
  };
}

let store: Store;
afterEach(() => store?.close());

function seed(): Store {
  store = openStore(':memory:', { clock: { now: () => T0 }, events: { flushIntervalMs: 0, windowMs: 60_000 } });
  for (let i = 0; i < 5; i++) store.events.record(event(T0 + i * 1000, '198.51.100.66', 'sipvicious'));
  store.events.record(event(T0 + 300_000, '198.51.100.66', 'sipvicious'));
  store.events.record(event(T0 + 400_000, '198.51.100.66', null));
  store.events.record(event(T0 + 120_000, '2001:db8::bad', 'nmap'));
  store.events.record(event(T0 + 130_000, '10.77.0.99', null, 'lan'));
  store.events.flush();
  return store;
}

describe('scanner export', () => {
  it('gathers each WAN source with first and last seen, requests and families', () => {
    const { sightings, truncated } = collectSightings(seed().events);
    expect(truncated).toBe(false);
    expect(sightings).toEqual([
      { address: '198.51.100.66', firstSeen: T0, lastSeen: T0 + 400_000, count: 7, families: ['sipvicious'] },
      { address: '2001:db8::bad', firstSeen: T0 + 120_000, lastSeen: T0 + 120_000, count: 1, families: ['nmap'] },
    ]);
  });

  it('stops at its bounds and says so', () => {
    const collected = collectSightings(seed().events, { maxSources: 1 });
    expect(collected.sightings).toHaveLength(1);
    expect(collected.truncated).toBe(true);
  });

  it('writes APIBAN-style text that reads back as a blocklist', () => {
    const text = formatSightings(collectSightings(seed().events), 'txt', T0 + 500_000);
    expect(text).toContain('198.51.100.66  # 2023-11-14T22:13:20.000Z, 2023-11-14T22:20:00.000Z, 7, sipvicious\n');
    const back = parseBlocklist(text);
    expect(back).toMatchObject({ ok: true, entries: ['198.51.100.66', '2001:db8::bad'], invalid: 0 });
  });

  it('writes JSON with an ipaddress array (importable) and CSV with a header', () => {
    const collected = collectSightings(seed().events);
    const json = JSON.parse(formatSightings(collected, 'json', T0)) as { ipaddress: string[]; scanners: { count: number }[] };
    expect(json.ipaddress).toEqual(['198.51.100.66', '2001:db8::bad']);
    expect(json.scanners[0]!.count).toBe(7);
    expect(parseBlocklist(JSON.stringify(json))).toMatchObject({ ok: true, entries: json.ipaddress });
    const csv = formatSightings(collected, 'csv', T0).trim().split('\n');
    expect(csv[0]).toBe('address,first_seen,last_seen,count,family');
    expect(csv[2]).toBe('2001:db8::bad,2023-11-14T22:15:20.000Z,2023-11-14T22:15:20.000Z,1,nmap');
  });
});
