import { describe, expect, it, vi } from 'vitest';
import type { TransportKind } from '../transport/flow.js';
import { InviteServerState, InviteServerTransaction } from './invite-server-transaction.js';
import { request, response, setup, sip } from './test-kit.js';

function spyUser() {
  return { onTimeout: vi.fn(), onTransportError: vi.fn(), onTerminated: vi.fn() };
}

function server(transport: TransportKind = 'udp', tryingDelay: number | false = 200) {
  const env = setup(transport);
  const user = spyUser();
  const req = request();
  const tx = new InviteServerTransaction({ context: env.context, request: req, flow: env.flow, id: 'k', tryingDelay, user });
  tx.start();
  return { ...env, req, tx, user, ack: request({ method: 'ACK', toTag: 'b1' }) };
}

describe('INVITE server transaction (RFC 3261 §17.2.1)', () => {
  it('enters "Proceeding" and MUST send 100 Trying if the TU has not answered within 200 ms (§17.2.1)', () => {
    const { tx, net, clock, flow } = server();
    expect(tx.state).toBe(InviteServerState.Proceeding);
    clock.advance(199);
    expect(net.sent).toHaveLength(0);
    clock.advance(1);
    expect(net.lines()).toEqual(['SIP/2.0 100 Trying']);
    expect(net.sent[0]!.target).toBe(flow);
  });

  it('the 100 Trying copies Via, From, To (no tag: SHOULD NOT), Call-ID, CSeq and Timestamp (§8.2.6, §17.2.1)', () => {
    const env = setup();
    const req = sip(
      [
        'INVITE sip:bob@192.0.2.4 SIP/2.0',
        'Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKp1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKu1',
        'Via: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKu0',
        'From: <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>',
        'Call-ID: c1',
        'CSeq: 7 INVITE',
        'Timestamp: 54',
        'Contact: <sip:alice@10.0.0.1>',
        'Content-Length: 0',
        '',
        '',
      ].join('\n'),
    );
    const tx = new InviteServerTransaction({ context: env.context, request: req, flow: env.flow, id: 'k', tryingDelay: 0 });
    tx.start();
    expect(env.net.last().serialize().toString('latin1')).toBe(
      [
        'SIP/2.0 100 Trying',
        'Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKp1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKu1',
        'Via: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKu0',
        'From: <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>',
        'Call-ID: c1',
        'CSeq: 7 INVITE',
        'Timestamp: 54',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('sends no 100 Trying when the TU answers within 200 ms, or when it is switched off (a proxy sends its own, §16.2)', () => {
    const answered = server();
    answered.clock.advance(100);
    answered.tx.respond(response(answered.req, 180, 'b1'));
    answered.clock.advance(1_000);
    expect(answered.net.lines()).toEqual(['SIP/2.0 180 Status 180']);

    const off = server('udp', false);
    off.clock.advance(60_000);
    expect(off.net.sent).toHaveLength(0);
  });

  it('a retransmitted INVITE in "Proceeding" MUST resend the most recent provisional response (§17.2.1)', () => {
    const { tx, net, req, clock } = server();
    expect(tx.receiveRequest(req)).toBe('absorbed');
    expect(net.sent).toHaveLength(0); // nothing to resend yet
    clock.advance(200);
    tx.respond(response(req, 180, 'b1'));
    tx.respond(response(req, 183, 'b1'));
    expect(tx.receiveRequest(req)).toBe('absorbed');
    expect(net.lines()).toEqual([
      'SIP/2.0 100 Trying',
      'SIP/2.0 180 Status 180',
      'SIP/2.0 183 Status 183',
      'SIP/2.0 183 Status 183',
    ]);
    expect(tx.state).toBe(InviteServerState.Proceeding);
  });

  it('a 300-699 from the TU is sent and moves to "Completed"; Timer G retransmits at T1 doubling up to T2 until Timer H (§17.2.1)', () => {
    const { tx, net, req, clock, user } = server('udp', false);
    expect(tx.respond(response(req, 486, 'b1'))).toBe(true);
    expect(tx.state).toBe(InviteServerState.Completed);
    clock.advance(31_999);
    expect(net.times()).toEqual([0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(new Set(net.lines())).toEqual(new Set(['SIP/2.0 486 Status 486']));
    expect(user.onTimeout).not.toHaveBeenCalled();
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce(); // "MUST indicate to the TU that a transaction failure has occurred"
    expect(tx.state).toBe(InviteServerState.Terminated);
    expect(clock.waiting).toBe(0);
  });

  it('a retransmitted INVITE in "Completed" MUST resend the final response; more finals from the TU are refused (§17.2.1)', () => {
    const { tx, net, req } = server('udp', false);
    tx.respond(response(req, 404, 'b1'));
    expect(tx.receiveRequest(req)).toBe('absorbed');
    expect(tx.respond(response(req, 500, 'b1'))).toBe(false);
    expect(tx.respond(response(req, 200, 'b1'))).toBe(false);
    expect(net.lines()).toEqual(['SIP/2.0 404 Status 404', 'SIP/2.0 404 Status 404']);
  });

  it('an ACK in "Completed" MUST move to "Confirmed": Timer G stops, ACKs are absorbed, Timer I (T4) terminates (§17.2.1)', () => {
    const { tx, net, req, clock, ack, user } = server('udp', false);
    tx.respond(response(req, 486, 'b1'));
    clock.advance(600);
    expect(tx.receiveRequest(ack)).toBe('absorbed');
    expect(tx.state).toBe(InviteServerState.Confirmed);
    expect(tx.receiveRequest(ack)).toBe('absorbed');
    expect(tx.receiveRequest(req)).toBe('absorbed');
    clock.advance(4_999);
    expect(net.times()).toEqual([0, 500]);
    expect(tx.state).toBe(InviteServerState.Confirmed);
    clock.advance(1);
    expect(tx.state).toBe(InviteServerState.Terminated);
    expect(user.onTimeout).not.toHaveBeenCalled();
    expect(clock.waiting).toBe(0);
  });

  it('on a reliable transport Timer G is not started, Timer H still runs, and Timer I is zero (§17.2.1)', () => {
    const tcp = server('tcp', false);
    tcp.tx.respond(response(tcp.req, 486, 'b1'));
    tcp.clock.advance(10_000);
    expect(tcp.net.times()).toEqual([0]);
    tcp.tx.receiveRequest(tcp.ack);
    expect(tcp.tx.state).toBe(InviteServerState.Terminated);

    const noAck = server('tls', false);
    noAck.tx.respond(response(noAck.req, 486, 'b1'));
    noAck.clock.advance(32_000);
    expect(noAck.user.onTimeout).toHaveBeenCalledOnce();
    expect(noAck.tx.state).toBe(InviteServerState.Terminated);
  });

  it('a 2xx from the TU is sent and moves to "Accepted" (RFC 6026 §7.1); retransmitted INVITEs are absorbed', () => {
    const { tx, net, req, clock } = server();
    clock.advance(200);
    expect(tx.respond(response(req, 200, 'b1'))).toBe(true);
    expect(tx.state).toBe(InviteServerState.Accepted);
    expect(tx.receiveRequest(req)).toBe('absorbed');
    clock.advance(10_000);
    expect(net.lines()).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 Status 200']); // no retransmission by the transaction
  });

  it('in "Accepted", 2xx from the TU are sent, other responses refused, and an ACK goes to the TU (RFC 6026 §7.1)', () => {
    const { tx, net, req, ack } = server('udp', false);
    tx.respond(response(req, 200, 'b1'));
    expect(tx.respond(response(req, 200, 'b1'))).toBe(true);
    expect(tx.respond(response(req, 200, 'fork2'))).toBe(true);
    expect(tx.respond(response(req, 180, 'b1'))).toBe(false);
    expect(tx.respond(response(req, 486, 'b1'))).toBe(false);
    expect(net.lines()).toEqual(['SIP/2.0 200 Status 200', 'SIP/2.0 200 Status 200', 'SIP/2.0 200 Status 200']);
    expect(tx.receiveRequest(ack)).toBe('ack-for-2xx');
    expect(tx.state).toBe(InviteServerState.Accepted);
  });

  it('Timer L (64*T1) moves "Accepted" to "Terminated" (RFC 6026 §7.1)', () => {
    const { tx, req, clock, user } = server('tcp', false);
    tx.respond(response(req, 200, 'b1'));
    clock.advance(31_999);
    expect(tx.state).toBe(InviteServerState.Accepted);
    clock.advance(1);
    expect(tx.state).toBe(InviteServerState.Terminated);
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(clock.waiting).toBe(0);
  });

  it('a failure to send a response SHOULD inform the TU and terminate (§17.2.4)', () => {
    const { tx, net, req, user, clock } = server('udp', false);
    net.failWith = 'throw';
    tx.respond(response(req, 486, 'b1'));
    expect(user.onTransportError).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteServerState.Terminated);
    expect(clock.waiting).toBe(0);
  });

  it('"Proceeding" without a final response ends at the inviteProceedingLimit resource bound', () => {
    const { tx, clock, user, context } = server('udp', false);
    clock.advance(context.timers.inviteProceedingLimit - 1);
    expect(tx.state).toBe(InviteServerState.Proceeding);
    clock.advance(1);
    expect(user.onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe(InviteServerState.Terminated);
  });

  it('terminate() drops the transaction silently: no 100 Trying, no timers, and nothing is sent afterwards', () => {
    const { tx, net, req, clock, user } = server();
    tx.terminate();
    clock.advance(1_000);
    expect(tx.respond(response(req, 180, 'b1'))).toBe(false);
    expect(tx.receiveRequest(req)).toBe('absorbed');
    expect(net.sent).toHaveLength(0);
    expect(user.onTerminated).toHaveBeenCalledOnce();
    expect(clock.waiting).toBe(0);
  });

  it('refuses a request or a status outside 100-699 as a response', () => {
    const { tx, req } = server('udp', false);
    expect(tx.respond(req)).toBe(false);
    expect(tx.state).toBe(InviteServerState.Proceeding);
  });
});
