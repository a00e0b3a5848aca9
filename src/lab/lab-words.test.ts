import { describe, expect, it } from 'vitest';
import type { LabEvent } from './lab-event.js';
import { LabTallyKeeper } from './lab-tally.js';
import { describeEvent, tallyLine, tallyLines } from './lab-words.js';

const blocked = (scanner: 'svmap' | null): LabEvent => ({
  kind: 'guard-blocked',
  at: 0,
  scanner,
  event: {
    time: 0,
    flow: { transport: 'udp', localAddress: '127.0.0.3', localPort: 4, remoteAddress: '127.0.0.11', remotePort: 5060 },
    leg: 'wan',
    method: 'INVITE',
    requestUri: 'sip:100@127.0.0.3',
    from: null,
    to: null,
    userAgent: 'friendly-scanner',
    callId: null,
    reasons: ['not-from-provider', 'no-alias'],
    family: null,
    explanation: { en: 'Blocked.', ja: 'ブロック' },
  },
});

describe('lab tally and words', () => {
  it('counts provider rings apart from ghost rings, and blocks per scanner', () => {
    const keeper = new LabTallyKeeper();
    const events: LabEvent[] = [
      { kind: 'call-placed', at: 0, callId: 'a', caller: 'Mom', number: '1', plan: 'answer' },
      { kind: 'phone-rang', at: 0, callId: 'a', caller: 'Mom', from: 'provider' },
      { kind: 'call-answered', at: 0, callId: 'a' },
      { kind: 'scanner-sent', at: 0, scanner: 'svmap', method: 'INVITE', requestUri: 'sip:100@x' },
      blocked('svmap'),
      blocked(null),
      { kind: 'phone-rang', at: 0, callId: 'b', caller: 'sipvicious', from: 'ghost' },
    ];
    events.forEach(keeper.take);
    const t = keeper.snapshot();
    expect(t.providerCalls).toMatchObject({ placed: 1, rang: 1, answered: 1, inProgress: 1 });
    expect(t.ghostCalls).toEqual({ rang: 1, blocked: 2 });
    expect(t.scanners.svmap).toEqual({ sent: 1, blocked: 1, answered: 0 });
    expect(t.blockedByReason).toEqual({ 'not-from-provider': 2 });
    expect(tallyLine(t)).toMatch(/^provider calls: 1 rang · ghost calls: 1 rang, 2 blocked \(nmap 0 · svmap 1 /);
    for (const line of tallyLines(t)) expect(line.length).toBeLessThan(78);
    expect(describeEvent(events[6]!)).toContain('GHOST CALL');
    expect(describeEvent(events[4]!)).toBeNull();
  });
});
