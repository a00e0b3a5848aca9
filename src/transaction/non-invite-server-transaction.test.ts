import { describe, expect, it, vi } from 'vitest';
import type { TransportKind } from '../transport/flow.js';
import { NonInviteServerState, NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { request, response, setup } from './test-kit.js';

function server(transport: TransportKind = 'udp') {
  const env = setup(transport);
  const user = { onTimeout: vi.fn(), onTransportError: vi.fn(), onTerminated: vi.fn() };
  const req = request({ method: 'BYE', toTag: 'b1' });
  const tx = new NonInviteServerTransaction({ context: env.context, request: req, flow: env.flow, id: 'k', user });
  tx.start();
  return { ...env, req, tx, user };
}

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('starts in "Trying", where request retransmissions are discarded (§17.2.2)', () => {
    const { tx, net, req, clock } = server();
    expect(tx.state).toBe(NonInviteServerState.Trying);
    expect(tx.method).toBe('BYE');
    expect(tx.receiveRequest(req)).toBe('absorbed');
    clock.advance(1_000);
    expect(net.sent).toHaveLength(0);
  });

  it('a provisional response moves to "Proceeding", where a retransmission MUST resend the latest one (§17.2.2)', () => {
    const { tx, net, req, flow } = server();
    expect(tx.respond(response(req, 100))).toBe(true);
    expect(tx.state).toBe(NonInviteServerState.Proceeding);
    tx.respond(response(req, 183));
    tx.receiveRequest(req);
    expect(net.lines()).toEqual(['SIP/2.0 100 Status 100', 'SIP/2.0 183 Status 183', 'SIP/2.0 183 Status 183']);
    expect(net.sent.every((s) => s.target === flow)).toBe(true);
  });

  it('a final response moves to "Completed", where retransmissions MUST get it again and other finals MUST be discarded (§17.2.2)', () => {
    const { tx, net, req } = server();
    const ok = response(req, 200);
    expect(tx.respond(ok)).toBe(true);
    expect(tx.state).toBe(NonInviteServerState.Completed);
    expect(tx.finalResponse).toBe(ok);
    expect(tx.respond(response(req, 500))).toBe(false);
    expect(tx.respond(response(req, 100))).toBe(false);
    tx.receiveRequest(req);
    tx.receiveRequest(req);
    expect(net.sent.map((s) => s.message)).toEqual([ok, ok, ok]);
  });

  it('Timer J (64*T1 on unreliable transports) moves "Completed" to "Terminated" (§17.2.2)', () => {
    const { tx, req, clock, user } = server();
    tx.respond(response(req, 481));
    clock.advance(31_999);
    expect(tx.state).toBe(NonInviteServerState.Completed);
    clock.advance(1);
    expect(tx.state).toBe(NonInviteServerState.Terminated);
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(user.onTimeout).not.toHaveBeenCalled();
    expect(clock.waiting).toBe(0);
  });

  it('Timer J is zero on a reliable transport: the final response is sent, then "Terminated" (§17.2.2)', () => {
    const { tx, net, req, clock } = server('tcp');
    tx.respond(response(req, 200));
    expect(net.lines()).toEqual(['SIP/2.0 200 Status 200']);
    expect(tx.state).toBe(NonInviteServerState.Terminated);
    expect(clock.waiting).toBe(0);
  });

  it('a failure to send SHOULD inform the TU and terminate (§17.2.4)', async () => {
    const { tx, net, req, user } = server();
    net.failWith = 'reject';
    tx.respond(response(req, 200));
    await Promise.resolve();
    expect(user.onTransportError).toHaveBeenCalledOnce();
    expect(tx.state).toBe(NonInviteServerState.Terminated);
  });

  it('a TU that never answers is bounded: nonInviteServerLimit (128*T1) terminates and reports a timeout', () => {
    const { tx, clock, user, req } = server();
    tx.respond(response(req, 100));
    clock.advance(63_999);
    expect(tx.state).toBe(NonInviteServerState.Proceeding);
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe(NonInviteServerState.Terminated);
    expect(clock.waiting).toBe(0);
  });
});
