import { describe, expect, it, vi } from 'vitest';
import { NonInviteClientState, NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { request, response, setup } from './test-kit.js';
import type { ClientTransactionUser } from './transaction-user.js';

const UDP = { transport: 'udp', address: '192.0.2.4', port: 5060 } as const;
const TLS = { transport: 'tls', address: '192.0.2.4', port: 5061 } as const;

function spyUser() {
  return { onResponse: vi.fn(), onTimeout: vi.fn(), onTransportError: vi.fn(), onTerminated: vi.fn() };
}

function options(target: typeof UDP | typeof TLS = UDP, user: ClientTransactionUser = {}) {
  const env = setup();
  const req = request({ method: 'OPTIONS' });
  const tx = new NonInviteClientTransaction({ context: env.context, request: req, target, branch: 'z9hG4bKabc123', id: 'k', user });
  tx.start();
  return { ...env, req, tx };
}

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('enters "Trying" and passes the request to the transport (§17.1.2.2)', () => {
    const { tx, net } = options();
    expect(tx.state).toBe(NonInviteClientState.Trying);
    expect(tx.method).toBe('OPTIONS');
    expect(net.lines()).toEqual(['OPTIONS sip:bob@192.0.2.4 SIP/2.0']);
  });

  it('Timer E MUST double from T1 up to T2 (0.5, 1, 2, 4, 4 ... s) until Timer F fires at 64*T1 (§17.1.2.2)', () => {
    const user = spyUser();
    const { tx, net, clock } = options(UDP, user);
    clock.advance(31_999);
    expect(net.times()).toEqual([0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(tx.state).toBe(NonInviteClientState.Terminated);
    expect(clock.waiting).toBe(0);
  });

  it('in "Proceeding", Timer E MUST retransmit and be reset to T2; Timer F still times out (§17.1.2.2)', () => {
    const user = spyUser();
    const { tx, net, req, clock } = options(UDP, user);
    clock.advance(200);
    expect(tx.receiveResponse(response(req, 100))).toBe(true);
    expect(tx.state).toBe(NonInviteClientState.Proceeding);
    expect(user.onResponse).toHaveBeenCalledOnce();
    clock.advance(31_799);
    expect(net.times()).toEqual([0, 500, 4_500, 8_500, 12_500, 16_500, 20_500, 24_500, 28_500]);
    expect(user.onTimeout).not.toHaveBeenCalled();
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe(NonInviteClientState.Terminated);
  });

  it('a final response MUST be passed up and move to "Completed"; retransmissions of it are absorbed (§17.1.2.2)', () => {
    const user = spyUser();
    const { tx, net, req, clock } = options(UDP, user);
    clock.advance(700);
    const ok = response(req, 200, 'b1');
    expect(tx.receiveResponse(ok)).toBe(true);
    expect(tx.state).toBe(NonInviteClientState.Completed);
    expect(user.onResponse).toHaveBeenCalledWith(ok, tx);
    expect(tx.receiveResponse(ok)).toBe(false);
    expect(tx.receiveResponse(response(req, 180, 'b1'))).toBe(false);
    expect(user.onResponse).toHaveBeenCalledOnce();
    clock.advance(4_000);
    expect(net.times()).toEqual([0, 500]); // no retransmission in Completed
  });

  it('Timer K (T4 on unreliable transports) moves "Completed" to "Terminated" (§17.1.2.2)', () => {
    const user = spyUser();
    const { tx, req, clock } = options(UDP, user);
    tx.receiveResponse(response(req, 404, 'b1'));
    clock.advance(4_999);
    expect(tx.state).toBe(NonInviteClientState.Completed);
    clock.advance(1);
    expect(tx.state).toBe(NonInviteClientState.Terminated);
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(clock.waiting).toBe(0);
  });

  it('on a reliable transport Timer E is not started and Timer K is zero (§17.1.2.2)', () => {
    const user = spyUser();
    const { tx, net, req, clock } = options(TLS, user);
    clock.advance(10_000);
    expect(net.times()).toEqual([0]);
    tx.receiveResponse(response(req, 200, 'b1'));
    expect(tx.state).toBe(NonInviteClientState.Terminated);
    expect(user.onResponse).toHaveBeenCalledBefore(user.onTerminated);
    expect(clock.waiting).toBe(0);
  });

  it('a transport error SHOULD be reported and move to "Terminated" (§17.1.4)', async () => {
    const user = spyUser();
    const { tx, net, clock } = options(UDP, user);
    net.failWith = 'reject';
    clock.advance(500);
    await Promise.resolve();
    expect(user.onTransportError).toHaveBeenCalledOnce();
    expect(tx.state).toBe(NonInviteClientState.Terminated);
    expect(clock.waiting).toBe(0);
  });
});
