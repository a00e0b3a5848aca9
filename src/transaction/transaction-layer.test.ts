import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { InviteClientState } from './invite-client-transaction.js';
import { InviteServerState } from './invite-server-transaction.js';
import { TransactionLayer, type TransactionLayerOptions } from './transaction-layer.js';
import { RecordingSend, START, flowFrom, request, response, sip, startLine } from './test-kit.js';

const PROVIDER = flowFrom('198.51.100.1');
const SCANNER = flowFrom('203.0.113.66');
const UPSTREAM = { transport: 'udp', address: '203.0.113.10', port: 5060 } as const;
const GUARD_VIA = { transport: 'udp', host: '192.0.2.30', port: 5060 } as const;

function layer(options: Partial<TransactionLayerOptions> = {}) {
  const clock = new ManualClock(START);
  const net = new RecordingSend(clock);
  const tl = new TransactionLayer({ send: net.fn, clock, tryingDelay: false, ...options });
  return { clock, net, tl };
}

/** An RFC 2543 request: branch without the magic cookie. */
const old = (fields: Parameters<typeof request>[0] = {}) => request({ branch: '1a2b3c', ...fields });

describe('TransactionLayer: server matching (RFC 3261 §17.2.3)', () => {
  it('a new request creates a server transaction; its retransmission MUST be absorbed (§17.2.1)', () => {
    const { tl } = layer();
    const first = tl.receiveRequest(request(), PROVIDER);
    expect(first.kind).toBe('new');
    const again = tl.receiveRequest(request(), PROVIDER);
    expect(again).toEqual({ kind: 'absorbed', transaction: first.kind === 'new' ? first.transaction : undefined });
    expect(tl.stats()).toMatchObject({ serverTransactions: 1, absorbed: 1 });
  });

  it('matches on branch, sent-by and method: another sent-by or method is another transaction (§17.2.3)', () => {
    const { tl } = layer();
    expect(tl.receiveRequest(request(), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(request({ sentBy: '198.51.100.1:5070' }), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(request({ method: 'CANCEL' }), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(request({ branch: 'z9hG4bKother' }), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(request({ branch: 'Z9HG4BKABC123' }), PROVIDER).kind).toBe('absorbed'); // tokens are case-insensitive
    expect(tl.stats().serverTransactions).toBe(4);
  });

  it('a branch reused for a different Call-ID or CSeq is a new request, not a retransmission (scanners reuse branches)', () => {
    const { tl } = layer();
    tl.receiveRequest(request(), PROVIDER);
    expect(tl.receiveRequest(request({ callId: 'other' }), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(request({ cseq: 2 }), PROVIDER).kind).toBe('new');
  });

  it('an ACK for a non-2xx matches the INVITE transaction ("the method of the request that created the transaction is INVITE")', () => {
    const { tl, net } = layer();
    const created = tl.receiveRequest(request(), PROVIDER);
    if (created.kind !== 'new' || created.transaction.kind !== 'invite-server') throw new Error('expected an INVITE');
    created.transaction.respond(response(created.transaction.request, 486, 'b1'));
    const ack = tl.receiveRequest(request({ method: 'ACK', toTag: 'b1' }), PROVIDER);
    expect(ack).toEqual({ kind: 'absorbed', transaction: created.transaction });
    expect(created.transaction.state).toBe(InviteServerState.Confirmed);
    expect(net.lines()).toEqual(['SIP/2.0 486 Status 486']);
  });

  it('an ACK for a 2xx (new branch) is handed to the TU while the INVITE is "Accepted" (RFC 6026), stray after Timer L', () => {
    const { tl, clock } = layer();
    const created = tl.receiveRequest(request(), PROVIDER);
    if (created.kind !== 'new' || created.transaction.kind !== 'invite-server') throw new Error('expected an INVITE');
    const ack = () => request({ method: 'ACK', branch: 'z9hG4bKack2xx', toTag: 'b1' });
    expect(tl.receiveRequest(ack(), PROVIDER).kind).toBe('stray-ack'); // no 2xx yet
    created.transaction.respond(response(created.transaction.request, 200, 'b1'));
    expect(tl.receiveRequest(ack(), PROVIDER)).toEqual({ kind: 'ack-for-2xx', transaction: created.transaction });
    // a UA that reuses the INVITE's branch for the 2xx ACK is recognised as well
    expect(tl.receiveRequest(request({ method: 'ACK', toTag: 'b1' }), PROVIDER).kind).toBe('ack-for-2xx');
    clock.advance(32_000);
    expect(tl.receiveRequest(ack(), PROVIDER).kind).toBe('stray-ack');
    expect(tl.stats()).toMatchObject({ serverTransactions: 0, strayAcks: 2 });
  });

  it('RFC 2543 fallback: an INVITE retransmission matches by Request-URI, tags, Call-ID, CSeq and top Via (§17.2.3)', () => {
    const { tl } = layer();
    expect(tl.receiveRequest(old(), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(old(), PROVIDER).kind).toBe('absorbed');
    for (const differs of [
      old({ uri: 'sip:carol@192.0.2.4' }),
      old({ toTag: 'x' }),
      old({ fromTag: 'other' }),
      old({ callId: 'other' }),
      old({ cseq: 2 }),
      old({ branch: '1a2b3d' }),
      old({ sentBy: '198.51.100.1:5070' }),
    ]) {
      expect(tl.receiveRequest(differs, PROVIDER).kind).toBe('new');
    }
  });

  it('RFC 2543 fallback: a non-INVITE matches including the CSeq method (§17.2.3)', () => {
    const { tl } = layer();
    expect(tl.receiveRequest(old({ method: 'OPTIONS' }), PROVIDER).kind).toBe('new');
    expect(tl.receiveRequest(old({ method: 'OPTIONS' }), PROVIDER).kind).toBe('absorbed');
    expect(tl.receiveRequest(old({ method: 'INFO' }), PROVIDER).kind).toBe('new');
  });

  it('RFC 2543 fallback: an ACK matches when its To tag is that of the response sent (§17.2.3)', () => {
    const { tl } = layer();
    const created = tl.receiveRequest(old(), PROVIDER);
    if (created.kind !== 'new' || created.transaction.kind !== 'invite-server') throw new Error('expected an INVITE');
    created.transaction.respond(response(created.transaction.request, 404, 'srv'));
    expect(tl.receiveRequest(old({ method: 'ACK', toTag: 'wrong' }), PROVIDER).kind).toBe('stray-ack');
    expect(tl.receiveRequest(old({ method: 'ACK', toTag: 'srv' }), PROVIDER).kind).toBe('absorbed');
    expect(created.transaction.state).toBe(InviteServerState.Confirmed);
  });

  it('RFC 2543 fallback: an ACK for a re-INVITE (To tag already in the INVITE) matches too (§17.2.3)', () => {
    const { tl } = layer();
    const created = tl.receiveRequest(old({ toTag: 'dlg', cseq: 2 }), PROVIDER);
    if (created.kind !== 'new' || created.transaction.kind !== 'invite-server') throw new Error('expected an INVITE');
    created.transaction.respond(response(created.transaction.request, 491));
    expect(tl.receiveRequest(old({ method: 'ACK', toTag: 'dlg', cseq: 2 }), PROVIDER).kind).toBe('absorbed');
    expect(created.transaction.state).toBe(InviteServerState.Confirmed);
  });

  it('a CANCEL is its own transaction and is matched to the INVITE it cancels (§9.2), RFC 2543 peers too', () => {
    for (const make of [request, old]) {
      const { tl } = layer();
      const invite = tl.receiveRequest(make(), PROVIDER);
      const cancel = make({ method: 'CANCEL' });
      const created = tl.receiveRequest(cancel, PROVIDER);
      expect(created.kind).toBe('new');
      if (created.kind !== 'new' || invite.kind !== 'new') throw new Error('expected new transactions');
      expect(created.transaction).not.toBe(invite.transaction);
      expect(created.transaction.kind).toBe('non-invite-server');
      expect(tl.findCancelTarget(cancel, PROVIDER)).toBe(invite.transaction);
      expect(tl.findCancelTarget(make({ method: 'CANCEL', cseq: 9 }), PROVIDER)).toBeUndefined();
      expect(tl.findCancelTarget(make({ method: 'CANCEL', callId: 'x' }), PROVIDER)).toBeUndefined();
      expect(tl.findCancelTarget(make(), PROVIDER)).toBeUndefined(); // not a CANCEL
    }
  });

  it('a copy of a request from another source address is not a retransmission, and cancels nothing', () => {
    const { tl, net } = layer({ tryingDelay: 0 });
    const created = tl.receiveRequest(request(), PROVIDER);
    expect(net.sent).toHaveLength(1);
    const copy = tl.receiveRequest(request(), SCANNER);
    expect(copy.kind).toBe('source-mismatch');
    expect(net.sent).toHaveLength(1); // nothing resent because of the copy
    expect(tl.receiveRequest(request({ method: 'ACK' }), SCANNER).kind).toBe('source-mismatch');
    expect(tl.findCancelTarget(request({ method: 'CANCEL' }), SCANNER)).toBeUndefined();
    expect(tl.stats().sourceMismatches).toBe(2);
    expect(created.kind).toBe('new');
    expect(layer({ requireSameSource: false }).tl.receiveRequest(request(), SCANNER).kind).toBe('new');
  });

  it('the table is bounded: beyond maxServerTransactions a new request is refused and counted; slots free up on termination', () => {
    const { tl, clock } = layer({ maxServerTransactions: 2 });
    const a = tl.receiveRequest(request({ method: 'OPTIONS', callId: 'a' }), PROVIDER);
    tl.receiveRequest(request({ method: 'OPTIONS', callId: 'b' }), PROVIDER);
    expect(tl.receiveRequest(request({ method: 'OPTIONS', callId: 'c' }), PROVIDER)).toEqual({ kind: 'refused', reason: 'table-full' });
    expect(tl.receiveRequest(request({ method: 'OPTIONS', callId: 'a' }), PROVIDER).kind).toBe('absorbed'); // matching still works
    expect(tl.stats()).toMatchObject({ serverTransactions: 2, refused: 1 });
    if (a.kind !== 'new') throw new Error('expected new');
    a.transaction.respond(response(a.transaction.request, 200));
    clock.advance(32_000); // Timer J
    expect(tl.stats().serverTransactions).toBe(1);
    expect(tl.receiveRequest(request({ method: 'OPTIONS', callId: 'c' }), PROVIDER).kind).toBe('new');
  });

  it('a request without a usable Via, CSeq or Call-ID is invalid, counted, never thrown', () => {
    const { tl } = layer();
    const noVia = sip('OPTIONS sip:x@192.0.2.4 SIP/2.0\nFrom: <sip:a@b>;tag=1\nTo: <sip:x@y>\nCall-ID: 1\nCSeq: 1 OPTIONS\n\n');
    const badCseq = sip('OPTIONS sip:x@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nCall-ID: 1\nCSeq: x\n\n');
    const oldNoFrom = sip('OPTIONS sip:x@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP h;branch=1\nTo: <sip:x@y>\nCall-ID: 1\nCSeq: 1 OPTIONS\n\n');
    for (const message of [noVia, badCseq, oldNoFrom, response(request(), 200)]) {
      expect(tl.receiveRequest(message, PROVIDER).kind).toBe('invalid');
    }
    expect(tl.stats()).toMatchObject({ invalid: 4, serverTransactions: 0 });
  });

  it('every transaction ends by its timers: no table entry and no timer is left behind', () => {
    const { tl, clock } = layer({ tryingDelay: 200 });
    const invite = tl.receiveRequest(request(), PROVIDER);
    tl.receiveRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKo' }), PROVIDER);
    tl.receiveRequest(old({ method: 'BYE', toTag: 'b' }), PROVIDER);
    if (invite.kind !== 'new') throw new Error('expected new');
    invite.transaction.respond(response(invite.transaction.request, 200, 'b1'));
    clock.advance(400_000);
    expect(tl.stats()).toMatchObject({ serverTransactions: 0, clientTransactions: 0 });
    expect(clock.waiting).toBe(0);
  });
});

describe('TransactionLayer: client transactions (RFC 3261 §17.1)', () => {
  it('sendRequest prepends a Via with a fresh magic-cookie branch and rport, and sends to the target', () => {
    const { tl, net } = layer();
    const result = tl.sendRequest(request({ method: 'OPTIONS' }), { target: UPSTREAM, via: GUARD_VIA });
    if (result.kind !== 'created') throw new Error(result.kind);
    expect(result.transaction.branch).toMatch(/^z9hG4bK[A-Za-z0-9_-]{16}$/);
    expect(net.sent[0]!.target).toBe(UPSTREAM);
    const vias = net.sent[0]!.message.getAll('Via');
    expect(vias[0]).toBe(`SIP/2.0/UDP 192.0.2.30:5060;branch=${result.transaction.branch};rport`);
    expect(vias[1]).toBe('SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKabc123;rport');
    const other = tl.sendRequest(request({ method: 'OPTIONS' }), { target: UPSTREAM, via: GUARD_VIA });
    expect(other.kind === 'created' && other.transaction.branch).not.toBe(result.transaction.branch);
  });

  it('brackets an IPv6 sent-by and can leave out rport', () => {
    const { tl, net } = layer();
    tl.sendRequest(request({ method: 'OPTIONS' }), {
      target: UPSTREAM,
      via: { transport: 'tls', host: '2001:db8::30', port: 5061, rport: false },
    });
    expect(net.sent[0]!.message.get('Via')).toMatch(/^SIP\/2\.0\/TLS \[2001:db8::30\]:5061;branch=z9hG4bK[^;]+$/);
  });

  it('a response matches by top Via branch and CSeq method (§17.1.3); others are stray', () => {
    const { tl } = layer();
    const onResponse = vi.fn();
    const sent = tl.sendRequest(request({ method: 'OPTIONS' }), { target: UPSTREAM, via: GUARD_VIA, user: { onResponse } });
    if (sent.kind !== 'created') throw new Error(sent.kind);
    const ok = response(sent.transaction.request, 200, 'u1');
    expect(tl.receiveResponse(ok, PROVIDER)).toEqual({ kind: 'matched', transaction: sent.transaction, passedUp: true });
    expect(onResponse).toHaveBeenCalledWith(ok, sent.transaction);
    expect(tl.receiveResponse(ok, PROVIDER)).toEqual({ kind: 'matched', transaction: sent.transaction, passedUp: false });
    expect(tl.receiveResponse(response(request({ method: 'OPTIONS' }), 200), PROVIDER).kind).toBe('stray');
    const wrongMethod = sip(
      ok.serialize().toString('latin1').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INFO'),
    );
    expect(tl.receiveResponse(wrongMethod, PROVIDER).kind).toBe('stray');
    expect(tl.stats()).toMatchObject({ strayResponses: 2, absorbed: 1 });
  });

  it('a 2xx retransmission after the INVITE client transaction is gone is stray: a proxy forwards it statelessly (§16.7)', () => {
    const { tl, clock } = layer();
    const sent = tl.sendRequest(request(), { target: UPSTREAM, via: GUARD_VIA });
    if (sent.kind !== 'created') throw new Error(sent.kind);
    const ok = response(sent.transaction.request, 200, 'u1');
    expect(tl.receiveResponse(ok, PROVIDER)).toMatchObject({ kind: 'matched', passedUp: true });
    expect(tl.receiveResponse(ok, PROVIDER)).toMatchObject({ kind: 'matched', passedUp: true }); // Accepted
    clock.advance(32_000); // Timer M
    expect(tl.receiveResponse(ok, PROVIDER).kind).toBe('stray');
  });

  it('refuses an ACK (never a transaction), a request without a magic-cookie branch, and a duplicate branch', () => {
    const { tl } = layer();
    expect(tl.sendRequest(request({ method: 'ACK' }), { target: UPSTREAM, via: GUARD_VIA })).toEqual({ kind: 'refused', reason: 'ack' });
    expect(tl.sendRequest(old(), { target: UPSTREAM }).kind).toBe('invalid');
    expect(tl.sendRequest(request(), { target: UPSTREAM }).kind).toBe('created');
    expect(tl.sendRequest(request(), { target: UPSTREAM })).toEqual({ kind: 'refused', reason: 'duplicate' });
  });

  it('the client table is bounded by maxClientTransactions', () => {
    const { tl } = layer({ maxClientTransactions: 1 });
    expect(tl.sendRequest(request(), { target: UPSTREAM, via: GUARD_VIA }).kind).toBe('created');
    expect(tl.sendRequest(request(), { target: UPSTREAM, via: GUARD_VIA })).toEqual({ kind: 'refused', reason: 'table-full' });
    expect(tl.stats().refused).toBe(1);
  });

  it('cancel(): the CANCEL waits for a provisional response, reuses the INVITE branch, and is its own transaction (§9.1)', () => {
    const { tl, net } = layer();
    const sent = tl.sendRequest(request(), { target: UPSTREAM, via: GUARD_VIA });
    if (sent.kind !== 'created' || sent.transaction.kind !== 'invite-client') throw new Error('expected an INVITE');
    const invite = sent.transaction;
    const onCancelResponse = vi.fn();
    expect(tl.cancel(invite, { onResponse: onCancelResponse })).toBe('pending');
    expect(net.lines()).toEqual(['INVITE sip:bob@192.0.2.4 SIP/2.0']);
    tl.receiveResponse(response(invite.request, 180, 'u1'), PROVIDER);
    expect(net.lines()).toEqual(['INVITE sip:bob@192.0.2.4 SIP/2.0', 'CANCEL sip:bob@192.0.2.4 SIP/2.0']);
    const cancel = net.last();
    expect(net.sent[1]!.target).toBe(UPSTREAM);
    expect(cancel.getAll('Via')).toEqual([invite.request.getAll('Via')[0]]);
    expect(cancel.get('CSeq')).toBe('1 CANCEL');
    expect(tl.stats().clientTransactions).toBe(2);

    // 200 for the CANCEL goes to the CANCEL transaction, 487 for the INVITE to the INVITE one, which ACKs it
    expect(tl.receiveResponse(response(cancel, 200, 'u1'), PROVIDER)).toMatchObject({ kind: 'matched', passedUp: true });
    expect(onCancelResponse).toHaveBeenCalledOnce();
    tl.receiveResponse(response(invite.request, 487, 'u1'), PROVIDER);
    expect(invite.state).toBe(InviteClientState.Completed);
    expect(startLine(net.last())).toBe('ACK sip:bob@192.0.2.4 SIP/2.0');
    expect(tl.cancel(invite)).toBe('sent');
  });

  it('close() terminates every transaction and leaves no timer running', () => {
    const { tl, clock } = layer({ tryingDelay: 200 });
    tl.receiveRequest(request(), PROVIDER);
    tl.sendRequest(request({ method: 'OPTIONS' }), { target: UPSTREAM, via: GUARD_VIA });
    tl.close();
    expect(tl.stats()).toMatchObject({ serverTransactions: 0, clientTransactions: 0 });
    expect(clock.waiting).toBe(0);
  });
});
