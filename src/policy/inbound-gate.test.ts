import { describe, expect, it } from 'vitest';
import { isSipError } from '../sip/errors.js';
import { parseMessage } from '../sip/parse.js';
import { decideBanned, decideInbound, decideUnparsable, labelNow } from './inbound-gate.js';
import { loopBranch } from './loop-detection.js';
import {
  ALICE,
  ALICE_SOFTPHONE,
  BOB,
  GUARD_WAN,
  OWN_BRANCH_PREFIX,
  PROVIDER,
  PROVIDER_DOMAIN,
  SCANNER,
  TOKEN,
  WAN_PORT,
  corpusMessage,
  dialogKey,
  gateContext,
  isOwnWanUri,
  providerInviteLines,
  request,
  wanFlow,
} from './test-kit.js';

const sipvicious = () => ({ family: 'sipvicious', confidence: 0.99 });

function byeLines(requestUri: string, extra: readonly string[] = []): string[] {
  return [
    `BYE ${requestUri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROVIDER}:5060;branch=z9hG4bK-prov-bye1;rport`,
    ...extra,
    'Max-Forwards: 69',
    `From: <sip:+81312345678@${PROVIDER_DOMAIN}>;tag=prov-f1`,
    `To: <sip:+81398765432@${PROVIDER_DOMAIN}>;tag=phone-t9`,
    `Call-ID: 7f3a9c1e@${PROVIDER}`,
    'CSeq: 102 BYE',
    'Content-Length: 0',
  ];
}

describe('inbound gate, DESIGN §2: relay only what comes from the provider AND names a live alias or a known dialog', () => {
  it('relays a provider INVITE to a live alias token, to that binding, and marks the provider never-ban', () => {
    const verdict = decideInbound({ msg: request(providerInviteLines()), flow: wanFlow(PROVIDER) }, gateContext());
    expect(verdict).toMatchObject({ action: 'relay', reasons: [], family: null, neverBan: true });
    expect(verdict.targets).toEqual([ALICE]);
  });

  it('drops a provider INVITE to a token that names no live binding: unknown-alias', () => {
    const msg = request(providerInviteLines(`sip:zzzzzzzzzzzzzzzzzzzzzzzz@${GUARD_WAN}:${WAN_PORT}`));
    const verdict = decideInbound({ msg, flow: wanFlow(PROVIDER) }, gateContext());
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['unknown-alias'], neverBan: true });
    expect(verdict.targets).toEqual([]);
  });

  it('drops a byte-for-byte copy of a real provider INVITE sent from another address: not-from-provider', () => {
    const original = request(providerInviteLines());
    const copy = parseMessage(Buffer.from(original.raw));
    if (isSipError(copy)) throw new Error('copy does not parse');
    expect(decideInbound({ msg: original, flow: wanFlow(PROVIDER) }, gateContext()).action).toBe('relay');
    const verdict = decideInbound({ msg: copy, flow: wanFlow(SCANNER, 5060) }, gateContext());
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['not-from-provider'], family: null });
    expect(verdict.neverBan).toBeUndefined();
    expect(verdict.targets).toEqual([]);
  });

  it('drops the svmap INVITE sip:100@ip from a stranger: not-from-provider + no-alias, labelled by the classifier', () => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { classify: sipvicious }));
    expect(verdict).toMatchObject({
      action: 'drop',
      reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'],
      family: 'sipvicious',
    });
  });

  it('with labelLater the classifier is not asked until labelNow, which gives the same verdict', () => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    let asked = 0;
    const ctx = gateContext({}, { classify: () => (asked++, sipvicious()), labelLater: true });
    const pending = decideInbound({ msg, flow: wanFlow(SCANNER) }, ctx);
    expect(asked).toBe(0);
    expect(pending).toMatchObject({ action: 'drop', reasons: ['not-from-provider', 'no-alias'], family: null, labelPending: true });
    const labelled = labelNow(pending, msg, ctx);
    expect(asked).toBe(1);
    const eager = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { classify: sipvicious }));
    expect(labelled).toEqual(eager);
    // A relay (or any verdict that asked for no label) passes through labelNow unchanged, unasked.
    const relayed = decideInbound({ msg: request(providerInviteLines()), flow: wanFlow(PROVIDER) }, ctx);
    expect(labelNow(relayed, msg, ctx)).toBe(relayed);
    expect(asked).toBe(1);
  });

  it('without a classifier the same INVITE has no family and no scanner-fingerprint label', () => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext());
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['not-from-provider', 'no-alias'], family: null });
  });

  it('the classifier is a label, not the gate: a provider request it calls a scanner is still relayed', () => {
    const verdict = decideInbound({ msg: request(providerInviteLines()), flow: wanFlow(PROVIDER) }, gateContext({}, { classify: sipvicious }));
    expect(verdict).toMatchObject({ action: 'relay', family: null, reasons: [] });
  });

  it('relays an in-dialog BYE from the provider for a known dialog (To tag = local, From tag = remote)', () => {
    const msg = request(byeLines(`sip:${GUARD_WAN}:${WAN_PORT}`));
    const ctx = gateContext({ dialogs: [dialogKey(`7f3a9c1e@${PROVIDER}`, 'phone-t9', 'prov-f1')] });
    const verdict = decideInbound({ msg, flow: wanFlow(PROVIDER) }, ctx);
    expect(verdict).toMatchObject({ action: 'relay', reasons: [] });
    expect(verdict.targets).toEqual([]);
  });

  it('relays an in-dialog BYE from the provider whose Route carries our Record-Route', () => {
    const msg = request(byeLines(`sip:${GUARD_WAN}:${WAN_PORT}`, [`Route: <sip:${GUARD_WAN}:${WAN_PORT};lr;gg>`]));
    expect(decideInbound({ msg, flow: wanFlow(PROVIDER) }, gateContext()).action).toBe('relay');
  });

  it('relays an in-dialog request to a live alias even when the dialog is not known (e.g. after a restart)', () => {
    const msg = request(byeLines(`sip:${TOKEN}@${GUARD_WAN}:${WAN_PORT}`));
    const verdict = decideInbound({ msg, flow: wanFlow(PROVIDER) }, gateContext());
    expect(verdict.action).toBe('relay');
    expect(verdict.targets).toEqual([ALICE]);
  });

  it('drops an in-dialog request for a dialog the guard does not know: unknown-dialog', () => {
    const msg = request(byeLines(`sip:${GUARD_WAN}:${WAN_PORT}`, [`Route: <sip:203.0.113.99;lr>`]));
    expect(decideInbound({ msg, flow: wanFlow(PROVIDER) }, gateContext())).toMatchObject({ action: 'drop', reasons: ['unknown-dialog'] });
  });

  it('drops an in-dialog BYE for a known dialog when it comes from a stranger', () => {
    const msg = request(byeLines(`sip:${GUARD_WAN}:${WAN_PORT}`));
    const ctx = gateContext({ dialogs: [dialogKey(`7f3a9c1e@${PROVIDER}`, 'phone-t9', 'prov-f1')] });
    expect(decideInbound({ msg, flow: wanFlow(SCANNER) }, ctx)).toMatchObject({ action: 'drop', reasons: ['not-from-provider'] });
  });

  it('relays a CANCEL from the provider to a live alias', () => {
    const lines = providerInviteLines().map((line) => line.replace('INVITE', 'CANCEL').replace('101 INVITE', '101 CANCEL'));
    expect(decideInbound({ msg: request(lines), flow: wanFlow(PROVIDER) }, gateContext()).action).toBe('relay');
  });
});

describe('policy.unknown: silent drop by default, or a 403 / 404 answer', () => {
  it.each(['403', '404'] as const)('answers a refused request with %s', (status) => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { unknownAction: status }));
    expect(verdict).toMatchObject({ action: 'reject', status: Number(status), reasons: ['not-from-provider', 'no-alias'] });
  });

  it('never answers an ACK (RFC 3261 §17): a refused ACK is dropped even with policy.unknown 403', () => {
    const msg = request(byeLines(`sip:${GUARD_WAN}:${WAN_PORT}`).map((l) => l.replace('BYE', 'ACK')));
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { unknownAction: '403' }));
    expect(verdict.action).toBe('drop');
    expect(verdict.status).toBeUndefined();
  });

  it('labels a stranger INVITE towards a foreign host open-relay when the guard knows its own URIs', () => {
    const msg = request(providerInviteLines('sip:0046701234567@pbx.example.com'));
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { isOwnUri: isOwnWanUri }));
    expect(verdict.reasons).toEqual(['not-from-provider', 'open-relay']);
    expect(decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext()).reasons).toEqual(['not-from-provider', 'no-alias']);
  });
});

describe('rate state (step 5): the provider is rate-limited, never banned', () => {
  it('drops a rate-limited provider request with flood, marked never-ban, whatever policy.unknown says', () => {
    const ctx = gateContext({ limited: [PROVIDER] }, { unknownAction: '403' });
    const verdict = decideInbound({ msg: request(providerInviteLines()), flow: wanFlow(PROVIDER) }, ctx);
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['flood'], neverBan: true });
  });

  it('adds flood after the earlier reasons for a flooding stranger and drops (no answer amplifies a flood), without the cost of fingerprinting', () => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    let asked = 0;
    const ctx = gateContext({ limited: [SCANNER] }, { unknownAction: '404', classify: () => (asked++, sipvicious()) });
    expect(decideInbound({ msg, flow: wanFlow(SCANNER) }, ctx)).toMatchObject({
      action: 'drop',
      reasons: ['not-from-provider', 'no-alias', 'flood'],
      family: null,
    });
    expect(asked).toBe(0);
  });
});

describe('fallback for a provider that rewrites the Request-URI to the phone number', () => {
  const numberUri = `sip:+81398765432@${GUARD_WAN}:${WAN_PORT}`;

  it('relays to the one matching account with provider-rewrites-uri when the fallback is on', () => {
    const ctx = gateContext({ byUser: { '+81398765432': [ALICE] } }, { providerRewritesUri: true });
    const verdict = decideInbound({ msg: request(providerInviteLines(numberUri)), flow: wanFlow(PROVIDER) }, ctx);
    expect(verdict).toMatchObject({ action: 'relay', reasons: ['provider-rewrites-uri'], neverBan: true });
    expect(verdict.targets).toEqual([ALICE]);
  });

  it('relays to every binding of that one account (several phones on one number)', () => {
    const ctx = gateContext({ byUser: { '+81398765432': [ALICE, ALICE_SOFTPHONE] } }, { providerRewritesUri: true });
    const verdict = decideInbound({ msg: request(providerInviteLines(numberUri)), flow: wanFlow(PROVIDER) }, ctx);
    expect(verdict.targets).toEqual([ALICE, ALICE_SOFTPHONE]);
  });

  it('drops when the number matches two accounts (ambiguous) or none', () => {
    const two = gateContext({ byUser: { '+81398765432': [ALICE, BOB] } }, { providerRewritesUri: true });
    const verdict = decideInbound({ msg: request(providerInviteLines(numberUri)), flow: wanFlow(PROVIDER) }, two);
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['no-alias'] });
    expect(verdict.note).toContain('2 accounts');
    const none = gateContext({}, { providerRewritesUri: true });
    expect(decideInbound({ msg: request(providerInviteLines(numberUri)), flow: wanFlow(PROVIDER) }, none).action).toBe('drop');
  });

  it('never uses the fallback for a Request-URI that names another host (a LAN phone): open-relay', () => {
    const ctx = gateContext({ byUser: { alice: [ALICE] } }, { providerRewritesUri: true, isOwnUri: isOwnWanUri });
    const verdict = decideInbound({ msg: request(providerInviteLines('sip:alice@10.77.0.20')), flow: wanFlow(PROVIDER) }, ctx);
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['open-relay'] });
    expect(verdict.targets).toEqual([]);
  });

  it('drops the same request when the fallback is off: no-alias', () => {
    const ctx = gateContext({ byUser: { '+81398765432': [ALICE] } });
    expect(decideInbound({ msg: request(providerInviteLines(numberUri)), flow: wanFlow(PROVIDER) }, ctx)).toMatchObject({
      action: 'drop',
      reasons: ['no-alias'],
    });
  });

  it('never applies the fallback to a stranger, nor to a request that arrived on another port', () => {
    const ctx = gateContext({ byUser: { '+81398765432': [ALICE] } }, { providerRewritesUri: true });
    const msg = request(providerInviteLines(numberUri));
    expect(decideInbound({ msg, flow: wanFlow(SCANNER) }, ctx).reasons).toEqual(['not-from-provider', 'no-alias']);
    expect(decideInbound({ msg, flow: wanFlow(PROVIDER, 5060, 5060) }, ctx)).toMatchObject({ action: 'drop', reasons: ['no-alias'] });
  });
});

describe('RFC 3261 §16.3 forwarding checks, after the gate', () => {
  it('MUST return 483 (Too many hops) for Max-Forwards 0 (§16.3 step 3)', () => {
    const lines = providerInviteLines().map((l) => (l.startsWith('Max-Forwards') ? 'Max-Forwards: 0' : l));
    expect(decideInbound({ msg: request(lines), flow: wanFlow(PROVIDER) }, gateContext())).toMatchObject({
      action: 'reject',
      status: 483,
      reasons: ['too-many-hops'],
      neverBan: true,
    });
  });

  it('tells a stranger nothing, not even 483: its request is dropped by the gate first', () => {
    const lines = providerInviteLines().map((l) => (l.startsWith('Max-Forwards') ? 'Max-Forwards: 0' : l));
    expect(decideInbound({ msg: request(lines), flow: wanFlow(SCANNER) }, gateContext())).toMatchObject({ action: 'drop', reasons: ['not-from-provider'] });
  });

  it('MUST return 482 (Loop Detected) when our own Via carries this request\'s loop key (§16.3 step 4)', () => {
    const received = request(providerInviteLines());
    const ours = `Via: SIP/2.0/UDP ${GUARD_WAN}:${WAN_PORT};branch=${loopBranch(OWN_BRANCH_PREFIX, received, 'u1x')};rport`;
    const looped = request(providerInviteLines(undefined, [ours]));
    expect(decideInbound({ msg: looped, flow: wanFlow(PROVIDER) }, gateContext())).toMatchObject({ action: 'reject', status: 482, reasons: ['loop'] });
  });

  it('relays a spiral: our Via is there, but the request came back addressed differently', () => {
    const sent = request(providerInviteLines(`sip:+81398765432@${PROVIDER_DOMAIN}`));
    const ours = `Via: SIP/2.0/UDP ${GUARD_WAN}:${WAN_PORT};branch=${loopBranch(OWN_BRANCH_PREFIX, sent, 'u1x')};rport`;
    const spiral = request(providerInviteLines(undefined, [ours]));
    expect(decideInbound({ msg: spiral, flow: wanFlow(PROVIDER) }, gateContext()).action).toBe('relay');
  });
});

describe('malformed and unread requests (steps 1 and 2)', () => {
  it('answers a provider request that does not validate with 400; the same from a stranger is refused as a stranger\'s, unvalidated', () => {
    const lines = providerInviteLines().filter((l) => !l.startsWith('Call-ID'));
    expect(decideInbound({ msg: request(lines), flow: wanFlow(PROVIDER) }, gateContext())).toMatchObject({
      action: 'reject',
      status: 400,
      reasons: ['malformed'],
      note: 'SIP_MISSING_HEADER',
    });
    expect(decideInbound({ msg: request(lines), flow: wanFlow(SCANNER) }, gateContext({}, { unknownAction: '403' }))).toMatchObject({
      action: 'reject',
      status: 403,
      reasons: ['not-from-provider'],
    });
  });

  it('drops a response handed to the gate', () => {
    const msg = request(['SIP/2.0 200 OK', `Via: SIP/2.0/UDP ${GUARD_WAN}:${WAN_PORT};branch=z9hG4bKx`, 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: x', 'CSeq: 1 INVITE', 'Content-Length: 0']);
    expect(decideInbound({ msg, flow: wanFlow(PROVIDER) }, gateContext())).toMatchObject({ action: 'drop', reasons: ['malformed'] });
  });

  it('drops bytes that did not parse: malformed, or too-large for an oversized message', () => {
    const garbage = parseMessage(Buffer.from('\x16\x03\x01\x00\xa5\x01\x00\x00\xa1', 'latin1'));
    if (!isSipError(garbage)) throw new Error('expected a parse error');
    expect(decideUnparsable(garbage, SCANNER, gateContext())).toMatchObject({ action: 'drop', reasons: ['malformed'] });
    const big = parseMessage(request(providerInviteLines()).raw, { maxSize: 100 });
    if (!isSipError(big)) throw new Error('expected a parse error');
    expect(decideUnparsable(big, PROVIDER, gateContext())).toMatchObject({ action: 'drop', reasons: ['too-large'], neverBan: true });
  });

  it('drops a banned source before parsing, but never treats the provider as banned', () => {
    const ctx = { isBanned: (a: string) => a === SCANNER || a === PROVIDER, isProvider: (a: string) => a === PROVIDER };
    expect(decideBanned(SCANNER, ctx)).toMatchObject({ action: 'drop', reasons: ['banned'] });
    expect(decideBanned(PROVIDER, ctx)).toBeNull();
    expect(decideBanned('198.51.100.7', ctx)).toBeNull();
  });
});
