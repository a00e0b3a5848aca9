/**
 * ghostguard's own self-test (`ghostguard probe`, the dashboard's "Am I protected?") sends an
 * svmap-shaped INVITE and an OPTIONS. Built here by the probe's own code (src/probe/probe-messages.ts),
 * they must be labelled `ghostguard-probe`, not as the SIPVicious shape they copy.
 */
import { describe, expect, it } from 'vitest';
import { isSipError } from '../../sip/errors.js';
import type { SipMessage } from '../../sip/message.js';
import { parseMessage } from '../../sip/parse.js';
import { cancelRequest, initialRequest, newDialog, PROBE_USER_AGENT, type LocalEnd } from '../../probe/probe-messages.js';
import { SELF_TEST_FAMILY } from '../../policy/scanner-name.js';
import { BUILTIN_CLASSIFIER, classify } from './classify.js';
import { FINGERPRINTS } from './fingerprints.js';
import { request } from './test-kit.js';

function parsed(bytes: Buffer): SipMessage {
  const msg = parseMessage(bytes);
  if (isSipError(msg)) throw new Error(`probe message does not parse: ${msg.code}`);
  return msg;
}

const LOCALS: readonly LocalEnd[] = [
  { transport: 'udp', address: '127.0.0.1', port: 40000 },
  { transport: 'tcp', address: '192.0.2.7', port: 51234 },
  { transport: 'udp', address: '2001:db8::7', port: 5062 },
];

describe("the probe's own requests", () => {
  it.each(['INVITE', 'OPTIONS'] as const)('%s is labelled ghostguard-probe, over UDP, TCP and IPv6, on any port', (method) => {
    for (const local of LOCALS) {
      for (const port of [5060, 5080]) {
        const msg = parsed(initialRequest(newDialog(method, '198.51.100.30', port, local)));
        const label = classify(msg);
        expect(label, `${local.transport} ${local.address}`).toMatchObject({ family: SELF_TEST_FAMILY, variant: 'self-test' });
        expect(label!.signals).toEqual(['ua:ghostguard-probe', 'call-id:ghostguard-probe', 'from-display:ghostguard-probe']);
        // It wins outright over the svmap shape it copies, not only by being listed first.
        const runnerUp = BUILTIN_CLASSIFIER.scores(msg).find((s) => s.family !== SELF_TEST_FAMILY);
        expect(runnerUp?.family).toBe('sipvicious');
        expect(label!.confidence).toBeGreaterThan(runnerUp!.confidence);
      }
    }
  });

  it('its CANCEL is labelled ghostguard-probe too', () => {
    const dialog = newDialog('INVITE', '198.51.100.30', 5060, LOCALS[0]!);
    expect(classify(parsed(cancelRequest(dialog)))?.family).toBe(SELF_TEST_FAMILY);
  });

  it('the family id is the one the policy names (scanner-name.ts), and the User-Agent the probe sends', () => {
    const entry = FINGERPRINTS.families.find((f) => f.family === SELF_TEST_FAMILY);
    expect(entry?.requires).toEqual(['ua:ghostguard-probe']);
    const signal = FINGERPRINTS.signals.find((s) => s.id === 'ua:ghostguard-probe');
    expect(signal).toMatchObject({ field: 'user-agent', test: 'equals', value: PROBE_USER_AGENT });
  });

  it('svmap itself is still SIPVicious: the self-test needs its User-Agent', () => {
    const svmap = [
      'INVITE sip:100@192.0.2.40 SIP/2.0',
      'Via: SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK-1024730581;rport',
      'Max-Forwards: 70',
      'To: "ghostguard-probe"<sip:100@1.1.1.1>',
      'From: "ghostguard-probe"<sip:100@1.1.1.1>;tag=6330303030323238313363340131313839343132373331',
      'User-Agent: friendly-scanner',
      'Call-ID: 471862937145308862251009@ghostguard-probe',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ];
    expect(classify(request(svmap))).toMatchObject({ family: 'sipvicious', variant: 'svmap' });
  });
});
