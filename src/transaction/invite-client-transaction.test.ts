import { describe, expect, it, vi } from 'vitest';
import { InviteClientState, InviteClientTransaction } from './invite-client-transaction.js';
import { request, response, setup, startLine } from './test-kit.js';
import type { ClientTransactionUser } from './transaction-user.js';

const UDP = { transport: 'udp', address: '192.0.2.4', port: 5060 } as const;
const TCP = { transport: 'tcp', address: '192.0.2.4', port: 5060 } as const;

function invite(transport: typeof UDP | typeof TCP = UDP, user: ClientTransactionUser = {}) {
  const env = setup();
  const req = request({ extra: ['Route: <sip:p1.example.test;lr>', 'Route: <sip:p2.example.test;lr>'] });
  const tx = new InviteClientTransaction({
    context: env.context,
    request: req,
    target: transport,
    branch: 'z9hG4bKabc123',
    id: 'k',
    user,
  });
  tx.start();
  return { ...env, req, tx };
}

function spyUser() {
  return { onResponse: vi.fn(), onTimeout: vi.fn(), onTransportError: vi.fn(), onTerminated: vi.fn() };
}

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  it('MUST enter "Calling" and pass the INVITE to the transport (§17.1.1.2)', () => {
    const { tx, net } = invite();
    expect(tx.state).toBe(InviteClientState.Calling);
    expect(net.lines()).toEqual(['INVITE sip:bob@192.0.2.4 SIP/2.0']);
  });

  it('MUST retransmit on Timer A, doubling from T1 (0.5, 1, 2, 4, 8, 16 s), until Timer B fires at 64*T1 (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, net, clock } = invite(UDP, user);
    clock.advance(31_999);
    expect(net.times()).toEqual([0, 500, 1_500, 3_500, 7_500, 15_500, 31_500]);
    expect(user.onTimeout).not.toHaveBeenCalled();
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(clock.waiting).toBe(0);
  });

  it('SHOULD NOT start Timer A on a reliable transport; Timer B still fires at 64*T1 (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, net, clock } = invite(TCP, user);
    expect(tx.reliable).toBe(true);
    clock.advance(32_000);
    expect(net.times()).toEqual([0]);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteClientState.Terminated);
  });

  it('a provisional response moves "Calling" to "Proceeding", is passed up, and stops retransmissions and Timer B (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, net, clock, req } = invite(UDP, user);
    clock.advance(600);
    const ringing = response(req, 180, 'b1');
    expect(tx.receiveResponse(ringing)).toBe(true);
    expect(tx.state).toBe(InviteClientState.Proceeding);
    expect(user.onResponse).toHaveBeenCalledWith(ringing, tx);
    expect(tx.receiveResponse(response(req, 183, 'b1'))).toBe(true);
    expect(user.onResponse).toHaveBeenCalledTimes(2);
    clock.advance(60_000);
    expect(net.times()).toEqual([0, 500]);
    expect(user.onTimeout).not.toHaveBeenCalled();
    expect(tx.state).toBe(InviteClientState.Proceeding);
  });

  it('a 300-699 response MUST be passed up, MUST generate an ACK, and move to "Completed" (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, net, req } = invite(UDP, user);
    tx.receiveResponse(response(req, 180, 'b1'));
    const busy = response(req, 486, 'b1');
    expect(tx.receiveResponse(busy)).toBe(true);
    expect(user.onResponse).toHaveBeenLastCalledWith(busy, tx);
    expect(tx.state).toBe(InviteClientState.Completed);
    expect(net.lines()).toEqual(['INVITE sip:bob@192.0.2.4 SIP/2.0', 'ACK sip:bob@192.0.2.4 SIP/2.0']);
    expect(net.sent[1]!.target).toBe(UDP);
    expect(tx.ack).toBe(net.sent[1]!.message);
  });

  it('the ACK MUST have the INVITE\'s Request-URI, Call-ID, From, CSeq number, top Via and Route, and the response\'s To (§17.1.1.3)', () => {
    const { tx, req } = invite();
    tx.receiveResponse(response(req, 404, 'b9'));
    expect(tx.ack?.serialize().toString('latin1')).toBe(
      [
        'ACK sip:bob@192.0.2.4 SIP/2.0',
        'Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKabc123;rport',
        'Route: <sip:p1.example.test;lr>',
        'Route: <sip:p2.example.test;lr>',
        'Max-Forwards: 70',
        'From: "Alice" <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>;tag=b9',
        'Call-ID: call-1@198.51.100.1',
        'CSeq: 1 ACK',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('retransmissions of the final response in "Completed" MUST re-send the ACK and MUST NOT be passed up (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, net, req, clock } = invite(UDP, user);
    const busy = response(req, 486, 'b1');
    clock.advance(600);
    tx.receiveResponse(busy);
    clock.advance(4_000);
    expect(tx.receiveResponse(busy)).toBe(false);
    expect(tx.receiveResponse(busy)).toBe(false);
    expect(user.onResponse).toHaveBeenCalledOnce();
    expect(net.lines().filter((l) => l.startsWith('ACK'))).toHaveLength(3);
    expect(net.times('INVITE')).toEqual([0, 500]); // Timer A stopped by the final response
  });

  it('Timer D (at least 32 s on unreliable transports) moves "Completed" to "Terminated" (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, req, clock } = invite(UDP, user);
    tx.receiveResponse(response(req, 503, 'b1'));
    clock.advance(31_999);
    expect(tx.state).toBe(InviteClientState.Completed);
    clock.advance(1);
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(user.onTimeout).not.toHaveBeenCalled();
    expect(clock.waiting).toBe(0);
  });

  it('Timer D is zero on a reliable transport: "Completed" ends at once, after the ACK is sent (§17.1.1.2)', () => {
    const user = spyUser();
    const { tx, net, req, clock } = invite(TCP, user);
    tx.receiveResponse(response(req, 603, 'b1'));
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(net.lines()[1]).toBe('ACK sip:bob@192.0.2.4 SIP/2.0');
    expect(user.onResponse).toHaveBeenCalledBefore(user.onTerminated);
    expect(clock.waiting).toBe(0);
  });

  it('a 2xx is passed up and the transaction enters "Accepted" without generating an ACK (RFC 6026 §7.2)', () => {
    const user = spyUser();
    const { tx, net, req } = invite(UDP, user);
    const ok = response(req, 200, 'b1');
    expect(tx.receiveResponse(ok)).toBe(true);
    expect(tx.state).toBe(InviteClientState.Accepted);
    expect(user.onResponse).toHaveBeenCalledWith(ok, tx);
    expect(net.lines()).toEqual(['INVITE sip:bob@192.0.2.4 SIP/2.0']);
    expect(tx.ack).toBeUndefined();
  });

  it('in "Accepted", 2xx retransmissions and 2xx from other forks MUST be passed up; others are absorbed (RFC 6026 §7.2)', () => {
    const user = spyUser();
    const { tx, req } = invite(UDP, user);
    tx.receiveResponse(response(req, 200, 'b1'));
    expect(tx.receiveResponse(response(req, 200, 'b1'))).toBe(true);
    expect(tx.receiveResponse(response(req, 200, 'fork2'))).toBe(true);
    expect(tx.receiveResponse(response(req, 180, 'b1'))).toBe(false);
    expect(tx.receiveResponse(response(req, 486, 'b3'))).toBe(false);
    expect(user.onResponse).toHaveBeenCalledTimes(3);
  });

  it('Timer M (64*T1) moves "Accepted" to "Terminated" (RFC 6026 §7.2), on reliable transports too', () => {
    const user = spyUser();
    const { tx, req, clock } = invite(TCP, user);
    tx.receiveResponse(response(req, 200, 'b1'));
    clock.advance(31_999);
    expect(tx.state).toBe(InviteClientState.Accepted);
    clock.advance(1);
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(clock.waiting).toBe(0);
  });

  it('a transport error SHOULD be reported to the TU and move to "Terminated" (§17.1.4), thrown or rejected', async () => {
    const thrown = setup();
    thrown.net.failWith = 'throw';
    const user = spyUser();
    const tx = new InviteClientTransaction({
      context: thrown.context,
      request: request(),
      target: UDP,
      branch: 'z9hG4bKabc123',
      id: 'k',
      user,
    });
    tx.start();
    expect(user.onTransportError).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(thrown.clock.waiting).toBe(0);

    const rejected = invite(UDP, spyUser());
    rejected.net.failWith = 'reject';
    const user2 = spyUser();
    rejected.tx.setUser(user2);
    rejected.clock.advance(500); // Timer A retransmission fails
    await Promise.resolve();
    expect(user2.onTransportError).toHaveBeenCalledOnce();
    expect(rejected.tx.state).toBe(InviteClientState.Terminated);
    expect(rejected.clock.waiting).toBe(0);
  });

  it('MUST NOT send a CANCEL before a provisional response; sends it on the first one (§9.1)', () => {
    const { tx, req } = invite();
    const sendCancel = vi.fn();
    expect(tx.requestCancel(sendCancel)).toBe('pending');
    expect(sendCancel).not.toHaveBeenCalled();
    tx.receiveResponse(response(req, 100));
    expect(sendCancel).toHaveBeenCalledOnce();
    expect(tx.requestCancel(sendCancel)).toBe('sent');
    expect(sendCancel).toHaveBeenCalledOnce();
  });

  it('after a CANCEL, no final response within 64*T1 SHOULD destroy the transaction (§9.1)', () => {
    const user = spyUser();
    const { tx, req, clock } = invite(UDP, user);
    tx.receiveResponse(response(req, 180, 'b1'));
    clock.advance(10_000);
    expect(tx.requestCancel(() => undefined)).toBe('sent');
    clock.advance(31_999);
    expect(tx.state).toBe(InviteClientState.Proceeding);
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteClientState.Terminated);
  });

  it('a CANCEL is too late once a final response has arrived (§9.1), and a pending one is dropped by Timer B', () => {
    const done = invite();
    done.tx.receiveResponse(response(done.req, 486, 'b1'));
    expect(done.tx.requestCancel(() => undefined)).toBe('too-late');

    const silent = invite();
    const sendCancel = vi.fn();
    silent.tx.requestCancel(sendCancel);
    silent.clock.advance(32_000);
    expect(silent.tx.state).toBe(InviteClientState.Terminated);
    expect(sendCancel).not.toHaveBeenCalled();
  });

  it('"Proceeding" without a final response ends at the inviteProceedingLimit resource bound', () => {
    const user = spyUser();
    const { tx, req, clock, context } = invite(UDP, user);
    tx.receiveResponse(response(req, 180, 'b1'));
    clock.advance(context.timers.inviteProceedingLimit);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteClientState.Terminated);
  });

  it('a terminated transaction passes nothing up and sends nothing more', () => {
    const user = spyUser();
    const { tx, req, net } = invite(UDP, user);
    tx.terminate();
    expect(tx.receiveResponse(response(req, 200, 'b1'))).toBe(false);
    expect(tx.receiveResponse(response(req, 486, 'b1'))).toBe(false);
    expect(user.onResponse).not.toHaveBeenCalled();
    expect(user.onTerminated).toHaveBeenCalledOnce();
    tx.terminate();
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(net.sent).toHaveLength(1);
    expect(startLine(net.sent[0]!.message)).toMatch(/^INVITE/);
  });
});
