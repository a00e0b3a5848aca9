import { describe, expect, it } from 'vitest';
import { makeFlow } from '../transport/flow.js';
import { ManualClock } from '../util/clock.js';
import { DialogState, DialogTable, type DialogInit } from './dialog-table.js';

const phoneFlow = makeFlow('udp', { address: '10.77.0.1', port: 5060 }, { address: '10.77.0.20', port: 5062 });
const wanFlow = makeFlow('udp', { address: '192.0.2.30', port: 41234 }, { address: '203.0.113.10', port: 5060 });

function init(callId = 'c1', phoneTag = 'p', remoteTag = 'r'): DialogInit {
  return {
    callId,
    phoneTag,
    remoteTag,
    origin: 'provider',
    token: 'tok',
    bindingToken: 'tok',
    phoneTarget: 'sip:alice@10.77.0.20:5062',
    phoneFlow,
    remoteTarget: 'sip:0901234567@203.0.113.10',
    wanFlow,
  };
}

describe('DialogTable (RFC 3261 §12)', () => {
  it('a 1xx with a To tag makes an early dialog, a 2xx confirms it (§12.1), never back', () => {
    const clock = new ManualClock();
    const table = new DialogTable({ clock });
    expect(table.establish(init(), false).state).toBe(DialogState.Early);
    expect(table.establish(init(), true).state).toBe(DialogState.Confirmed);
    expect(table.establish(init(), false).state).toBe(DialogState.Confirmed);
    expect(table.size).toBe(1);
  });

  it('finds a dialog by Call-ID and the tags of each side, not by swapped tags', () => {
    const table = new DialogTable({ clock: new ManualClock() });
    table.establish(init(), true);
    expect(table.has('c1', 'p', 'r')).toBe(true);
    expect(table.has('c1', 'r', 'p')).toBe(false);
    expect(table.has('c1', null, 'r')).toBe(false);
    expect(table.has('c2', 'p', 'r')).toBe(false);
  });

  it('a target refresh updates the phone target (§12.2)', () => {
    const table = new DialogTable({ clock: new ManualClock() });
    const d = table.establish(init(), true);
    table.touch(d, { phoneTarget: 'sip:alice@10.77.0.20:5070' });
    expect(table.find('c1', 'p', 'r')?.phoneTarget).toBe('sip:alice@10.77.0.20:5070');
  });

  it('a failed INVITE ends its early dialogs only (§12.3); a BYE ends the confirmed one', () => {
    const table = new DialogTable({ clock: new ManualClock() });
    table.establish(init('c1', 'p1', 'r'), false);
    table.establish(init('c1', 'p2', 'r'), false);
    table.establish(init('c2', 'p', 'r'), true);
    expect(table.dropEarly('c1', 'provider', 'r')).toBe(2);
    expect(table.dropEarly('c2', 'provider', 'r')).toBe(0);
    expect(table.remove({ callId: 'c2', phoneTag: 'p', remoteTag: 'r' })).toBe(true);
    expect(table.size).toBe(0);
  });

  it('expires early dialogs after earlyTtlMs and idle confirmed ones after idleTtlMs', () => {
    const clock = new ManualClock();
    const table = new DialogTable({ clock, earlyTtlMs: 1000, idleTtlMs: 5000 });
    table.establish(init('early', 'p', 'r'), false);
    const d = table.establish(init('call', 'p', 'r'), true);
    clock.advance(1000);
    expect(table.has('early', 'p', 'r')).toBe(false);
    clock.advance(3000);
    table.touch(d);
    clock.advance(3000);
    expect(table.sweep()).toBe(0);
    clock.advance(2000);
    expect(table.sweep()).toBe(1);
    expect(table.stats()).toMatchObject({ size: 0, expired: 2 });
  });

  it('is bounded: a new dialog beyond maxDialogs evicts the least recently used', () => {
    const table = new DialogTable({ clock: new ManualClock(), maxDialogs: 2 });
    const a = table.establish(init('a'), true);
    table.establish(init('b'), true);
    table.touch(a);
    table.establish(init('c'), true);
    expect(table.has('a', 'p', 'r')).toBe(true);
    expect(table.has('b', 'p', 'r')).toBe(false);
    expect(table.stats().evicted).toBe(1);
  });
});
