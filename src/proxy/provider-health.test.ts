import { afterEach, describe, expect, it } from 'vitest';
import { ProviderHealthTracker } from './provider-health.js';
import type { ProviderHealthChange } from './provider-health-types.js';
import { DOMAIN, settle, world, type World } from './test-kit.js';

const AOR = 'sip:alice@voip.example.test';

describe('ProviderHealthTracker', () => {
  it('starts unknown; a 2xx with a binding makes the account registered and the provider reachable', () => {
    const t = new ProviderHealthTracker();
    expect(t.snapshot(null)).toEqual({ reachable: null, registrations: [], registered: false, keepsRequestUri: null });
    t.take({ kind: 'answer', aor: AOR, at: 1, status: 401, reason: 'Unauthorized', bound: false });
    expect(t.snapshot(null)).toMatchObject({ reachable: true, registered: false, registrations: [{ aor: AOR, at: 1, status: 401 }] });
    t.take({ kind: 'answer', aor: AOR, at: 2, status: 200, reason: 'OK', bound: true });
    expect(t.snapshot(true)).toMatchObject({ reachable: true, registered: true, keepsRequestUri: true, registrations: [{ status: 200, at: 2 }] });
  });

  it('tells "lost" when a registered account is refused, unanswered or expires, and "restored" when it registers again', () => {
    const t = new ProviderHealthTracker();
    const changes: ProviderHealthChange[] = [];
    t.subscribe((c) => changes.push(c));
    t.take({ kind: 'answer', aor: AOR, at: 1, status: 200, reason: 'OK', bound: true });
    t.take({ kind: 'answer', aor: AOR, at: 2, status: 403, reason: 'Forbidden', bound: false });
    expect(changes).toEqual([{ kind: 'lost', aor: AOR, at: 2, detail: 'the provider answered 403 Forbidden to the refresh' }]);
    // A second refusal while lost says nothing new.
    t.take({ kind: 'answer', aor: AOR, at: 3, status: 403, reason: 'Forbidden', bound: false });
    expect(changes).toHaveLength(1);
    t.take({ kind: 'answer', aor: AOR, at: 4, status: 200, reason: 'OK', bound: true });
    expect(changes[1]).toMatchObject({ kind: 'restored', at: 4 });
    t.take({ kind: 'no-answer', aor: AOR, at: 5, why: 'timeout', waitedMs: 32_000 });
    expect(changes[2]).toEqual({ kind: 'lost', aor: AOR, at: 5, detail: 'no answer from the provider for 32 s' });
    expect(t.snapshot(null)).toMatchObject({ reachable: false, registered: false, registrations: [{ status: null }] });
    t.take({ kind: 'answer', aor: AOR, at: 6, status: 200, reason: 'OK', bound: true });
    t.take({ kind: 'expired', aor: AOR, at: 7 });
    expect(changes.map((c) => c.kind)).toEqual(['lost', 'restored', 'lost', 'restored', 'lost']);
    expect(changes[4]!.detail).toContain('expired');
  });

  it('a phone that de-registers on purpose is not a loss; the first registration is not a "restored"', () => {
    const t = new ProviderHealthTracker();
    const changes: ProviderHealthChange[] = [];
    t.subscribe((c) => changes.push(c));
    t.take({ kind: 'answer', aor: AOR, at: 1, status: 200, reason: 'OK', bound: true });
    t.take({ kind: 'answer', aor: AOR, at: 2, status: 200, reason: 'OK', bound: false });
    expect(changes).toEqual([]);
    expect(t.snapshot(null).registered).toBe(false);
  });

  it('keeps at most maxAccounts accounts, newest first', () => {
    const t = new ProviderHealthTracker(2);
    for (let i = 0; i < 5; i++) t.take({ kind: 'answer', aor: `sip:${i}@x`, at: i, status: 200, reason: 'OK', bound: true });
    expect(t.snapshot(null).registrations.map((r) => r.aor)).toEqual(['sip:4@x', 'sip:3@x']);
  });
});

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('Guard.providerHealth(): fed by the registration relay', () => {
  it('a phone registering through the guard makes the provider reachable and registered; its expiry is a loss, a new REGISTER a restore', async () => {
    w = await world({ guard: { housekeepingMs: 1000 } });
    expect(w.guard.providerHealth()).toEqual({ reachable: null, registrations: [], registered: false, keepsRequestUri: null });
    const changes: ProviderHealthChange[] = [];
    w.guard.onProviderHealth((c) => changes.push(c));
    expect((await w.phone.registerFully()).status).toBe(200);
    expect(w.guard.providerHealth()).toMatchObject({ reachable: true, registered: true, registrations: [{ aor: `sip:alice@${DOMAIN}`, status: 200 }] });
    w.clock.advance(1801_000);
    await settle();
    expect(w.guard.providerHealth().registered).toBe(false);
    expect(changes).toEqual([expect.objectContaining({ kind: 'lost', aor: `sip:alice@${DOMAIN}`, detail: expect.stringContaining('expired') })]);
    expect((await w.phone.registerFully()).status).toBe(200);
    expect(changes.map((c) => c.kind)).toEqual(['lost', 'restored']);
  });
});
