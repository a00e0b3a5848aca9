import { describe, expect, it } from 'vitest';
import type { MessageRow } from './analysis.js';
import { JsonLinesWriter } from './json-lines.js';

const explanation = { en: 'Blocked a call from "x" \u2028 <y>.', ja: '着信をブロックしました。' };
const rows: MessageRow[] = [
  { file: 'a "b".pcap', frame: 1, time: '2026-11-27T22:00:00.000Z', src: '198.51.100.66:5060', dst: '[2001:db8::1]:5060', transport: 'udp', method: 'INVITE', status: null, callId: 'c\\1\u0001', verdict: 'ghost', family: 'sipvicious', reasons: ['not-from-provider', 'no-alias'], explanation },
  { file: 'a.pcap', frame: 2, time: '2026-11-27T22:00:00.010Z', src: '192.0.2.20:5060', dst: '198.51.100.66:5060', transport: 'tcp', method: null, status: 180, callId: null, verdict: 'other', family: null, reasons: [], explanation: null },
  { file: 'a.pcap', frame: 3, time: '2026-11-27T22:00:00.020Z', src: '192.0.2.20:5060', dst: '198.51.100.66:5060', transport: 'udp', method: null, status: null, callId: null, verdict: 'other', family: null, reasons: ['malformed', 'not "a" code'], explanation, error: { code: 'SIP_BAD_HEADER', message: 'no colon' } },
];

describe('JsonLinesWriter', () => {
  it('encodes each row exactly as JSON.stringify would, one per line', () => {
    const w = new JsonLinesWriter(() => {});
    for (const row of rows) {
      expect(w.encode(row)).toBe(`${JSON.stringify(row)}\n`);
      expect(w.encode(row)).toBe(`${JSON.stringify(row)}\n`); // and again from the caches
    }
  });

  it('writes in big chunks and ends with the summary line', () => {
    const writes: string[] = [];
    const w = new JsonLinesWriter((t) => writes.push(t));
    for (let i = 0; i < 2000; i++) w.row({ ...rows[0]!, frame: i + 1 });
    w.summary({ messages: 2000 } as never);
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.length).toBeLessThan(10);
    const lines = writes.join('').trim().split('\n');
    expect(lines).toHaveLength(2001);
    expect((JSON.parse(lines[1999]!) as MessageRow).frame).toBe(2000);
    expect(JSON.parse(lines[2000]!)).toEqual({ summary: { messages: 2000 } });
  });
});
