import { describe, expect, it } from 'vitest';
import { compileFingerprints } from './classifier.js';
import { BUILTIN_CLASSIFIER, classify } from './classify.js';
import type { FingerprintSet } from './fingerprint-schema.js';
import { FINGERPRINTS } from './fingerprints.js';
import { phoneInvite, request } from './test-kit.js';

const tiny: FingerprintSet = {
  format: 1,
  version: 'test',
  threshold: 0.6,
  signals: [
    { id: 'ua:tool', field: 'user-agent', test: 'equals', value: 'tool', note: 'n' },
    { id: 'ua:absent', field: 'user-agent', test: 'absent', note: 'n' },
    { id: 'call-id:decimal', field: 'call-id', test: 'digits', min: 6, note: 'n' },
    { id: 'has-credentials', field: 'has-credentials', test: 'true', note: 'n' },
    { id: 'from-user:x', field: 'from-user', test: 'equals', value: 'x', note: 'n' },
  ],
  families: [
    { family: 'tool', variant: 'special', description: 'd', source: 's', requires: ['from-user:x'], signals: [{ signal: 'ua:tool', weight: 0.9 }] },
    { family: 'tool', variant: 'plain', description: 'd', source: 's', signals: [{ signal: 'ua:tool', weight: 0.9 }] },
    {
      family: 'shapes',
      variant: 'weak',
      description: 'd',
      source: 's',
      signals: [
        { signal: 'ua:absent', weight: 0.4 },
        { signal: 'call-id:decimal', weight: 0.5 },
        { signal: 'has-credentials', weight: -0.5 },
      ],
    },
  ],
};
const classifier = compileFingerprints(tiny);

describe('the classifier', () => {
  it('labels with the best entry, its confidence and the signals that spoke for it', () => {
    const label = classifier.classify(phoneInvite({ 'User-Agent': 'tool' }));
    expect(label).toEqual({ family: 'tool', variant: 'plain', confidence: 0.9, signals: ['ua:tool'], against: [] });
  });

  it('gives a variant with `requires` only when all of them match; on a tie the entry listed first wins', () => {
    const label = classifier.classify(phoneInvite({ 'User-Agent': 'tool', From: '<sip:x@192.0.2.1>;tag=1' }));
    expect(label?.variant).toBe('special');
  });

  it('labels weak shapes only together, and counter-evidence pulls them back under the threshold', () => {
    expect(classifier.classify(phoneInvite({ 'User-Agent': null }))).toBeNull();
    const both = phoneInvite({ 'User-Agent': null, 'Call-ID': '8812736451903' });
    expect(classifier.classify(both)).toMatchObject({ family: 'shapes', confidence: 0.7, signals: ['call-id:decimal', 'ua:absent'] });
    const authed = phoneInvite({ 'User-Agent': null, 'Call-ID': '8812736451903', Authorization: 'Digest username="a"' });
    expect(classifier.classify(authed)).toBeNull();
    expect(classifier.scores(authed)[0]).toMatchObject({ confidence: 0.35, against: ['has-credentials'] });
  });

  it('labels requests only', () => {
    const response = request(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: 123456789', 'CSeq: 1 OPTIONS', 'Content-Length: 0']);
    expect(classifier.classify(response)).toBeNull();
    expect(classifier.scores(response)).toEqual([]);
  });

  it('reports the version of its data', () => {
    expect(classifier.version).toBe('test');
    expect(BUILTIN_CLASSIFIER.version).toBe(FINGERPRINTS.version);
  });
});

describe('the built-in fingerprints', () => {
  it('name SIPVicious by its From even when the User-Agent is changed (not by User-Agent alone)', () => {
    const msg = request([
      'INVITE sip:100@192.0.2.40 SIP/2.0',
      'Via: SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK-1024730581;rport',
      'Max-Forwards: 70',
      'To: "sipvicious"<sip:100@1.1.1.1>',
      'From: "sipvicious"<sip:100@1.1.1.1>;tag=6330303030323238313363340131313839343132373331',
      'User-Agent: Z 5.6.2 v2.10.20.2',
      'Call-ID: 471862937145308862251009',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ]);
    expect(classify(msg)).toMatchObject({ family: 'sipvicious', variant: 'svmap' });
  });

  it('do not label a real product by its User-Agent alone (dialers pose as them)', () => {
    for (const ua of ['Cisco-SIPGateway/IOS-15.x', 'Asterisk PBX', 'eyeBeam release 1011d stamp 40820']) {
      expect(classify(phoneInvite({ 'User-Agent': ua })), ua).toBeNull();
    }
  });

  it('label an INVITE to an international dial string from a stranger-shaped caller as toll fraud', () => {
    const msg = phoneInvite({ From: '"1001" <sip:1001@192.0.2.40>;tag=66a2f3c1', 'User-Agent': 'Cisco-SIPGateway/IOS-12.x' }, 'sip:00972595123456@192.0.2.40');
    expect(classify(msg)).toMatchObject({ family: 'toll-fraud', variant: 'posing-as-phone' });
  });

  it('do not label a phone that authenticates its call abroad', () => {
    const msg = phoneInvite({ 'Proxy-Authorization': 'Digest username="05012345678", realm="voip.example.test"' }, 'sip:0044201234567@voip.example.test');
    expect(classify(msg)).toBeNull();
  });

  it('never throw on hostile input', () => {
    const hostile = [
      phoneInvite({ From: '"\\"<sip:' + '%'.repeat(3000) + '@1.1.1.1>', To: '<' + 'sip:'.repeat(500) }),
      phoneInvite({ 'User-Agent': '\u0000'.repeat(2000), Allow: ','.repeat(4000), Contact: '*' }),
      request(['INVITE sip:x SIP/2.0', 'Via: ;;;;', 'From: x', 'To: y', 'Call-ID: ', 'CSeq: x', 'Content-Type: application/sdp', 'Content-Length: 8'], 's=\n\n\n\ns='),
    ];
    for (const msg of hostile) expect(() => classify(msg)).not.toThrow();
  });
});
