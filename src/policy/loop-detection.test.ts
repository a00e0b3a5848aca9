import { describe, expect, it } from 'vitest';
import { checkForwarding } from './check-forwarding.js';
import { detectLoop, loopBranch, loopKey } from './loop-detection.js';
import { GUARD_WAN, OWN_BRANCH_PREFIX, PROVIDER_DOMAIN, providerInviteLines, request } from './test-kit.js';

const ourVia = (branch: string) => `Via: SIP/2.0/UDP ${GUARD_WAN}:40211;branch=${branch};rport`;

describe('loop detection, RFC 3261 §16.3 step 4 with the branch of §16.6 step 8', () => {
  it('sees no loop in a request without our Via', () => {
    expect(detectLoop(request(providerInviteLines()), OWN_BRANCH_PREFIX)).toBe('none');
  });

  it('"If the parameters match, the request has looped"', () => {
    const received = request(providerInviteLines());
    const looped = request(providerInviteLines(undefined, [ourVia(loopBranch(OWN_BRANCH_PREFIX, received, 'r4nd0m'))]));
    expect(detectLoop(looped, OWN_BRANCH_PREFIX)).toBe('loop');
    expect(checkForwarding(looped, OWN_BRANCH_PREFIX)).toMatchObject({ action: 'reject', status: 482, reasons: ['loop'] });
  });

  it('"If they differ, the request is spiraling": another Request-URI, CSeq or tag gives another key', () => {
    const sent = request(providerInviteLines(`sip:+81398765432@${PROVIDER_DOMAIN}`));
    const back = request(providerInviteLines(undefined, [ourVia(loopBranch(OWN_BRANCH_PREFIX, sent, 'r4nd0m'))]));
    expect(detectLoop(back, OWN_BRANCH_PREFIX)).toBe('spiral');
    expect(checkForwarding(back, OWN_BRANCH_PREFIX)).toBeNull();
    const otherCseq = request(providerInviteLines().map((l) => l.replace('101 INVITE', '102 INVITE')));
    expect(loopKey(otherCseq)).not.toBe(loopKey(sent));
  });

  it('the key ignores Vias (a loop comes back under other elements\' Vias)', () => {
    const plain = request(providerInviteLines());
    const more = request(providerInviteLines(undefined, ['Via: SIP/2.0/UDP 203.0.113.50;branch=z9hG4bKother']));
    expect(loopKey(more)).toBe(loopKey(plain));
    expect(loopKey(plain)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('branches start with the prefix (which must carry the magic cookie) and are tokens', () => {
    const msg = request(providerInviteLines());
    const branch = loopBranch(OWN_BRANCH_PREFIX, msg, 'AbC_-9');
    expect(branch.startsWith(`${OWN_BRANCH_PREFIX}${loopKey(msg)}.`)).toBe(true);
    expect(branch.endsWith('.AbC_-9')).toBe(true);
    expect(() => loopBranch('gg', msg, 'x')).toThrow(TypeError);
  });

  it('an empty prefix disables detection', () => {
    const received = request(providerInviteLines());
    const looped = request(providerInviteLines(undefined, [ourVia(loopBranch(OWN_BRANCH_PREFIX, received, 'r'))]));
    expect(detectLoop(looped, '')).toBe('none');
  });
});

describe('Max-Forwards, RFC 3261 §16.3 step 3', () => {
  const withMaxForwards = (value: string | null) =>
    request(providerInviteLines().flatMap((l) => (l.startsWith('Max-Forwards') ? (value === null ? [] : [`Max-Forwards: ${value}`]) : [l])));

  it('"the element MUST NOT forward the request" with 0, and answers 483', () => {
    expect(checkForwarding(withMaxForwards('0'), OWN_BRANCH_PREFIX)).toMatchObject({ action: 'reject', status: 483, reasons: ['too-many-hops'] });
  });

  it('"If the request does not contain a Max-Forwards header field, this check is passed"; 1 passes too', () => {
    expect(checkForwarding(withMaxForwards(null), OWN_BRANCH_PREFIX)).toBeNull();
    expect(checkForwarding(withMaxForwards('1'), OWN_BRANCH_PREFIX)).toBeNull();
  });
});
