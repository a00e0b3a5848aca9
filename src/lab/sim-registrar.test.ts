import { describe, expect, it } from 'vitest';
import { answerDigestChallenge, parseDigest } from '../sip/digest.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import { ManualClock } from '../util/clock.js';
import { LabRandom } from './lab-random.js';
import { SimRegistrar, viaSeenFrom } from './sim-registrar.js';
import { request } from './sip-text.js';

const DOMAIN = 'voip.demo.test';
const GUARD = { address: '127.0.0.3', port: 40000 };

function msg(text: string): SipMessage {
  const parsed = parseMessage(Buffer.from(text, 'latin1'));
  if (isSipError(parsed)) throw new Error(parsed.message);
  return parsed;
}

function register(authorization?: string, uri = `sip:${DOMAIN}`, contact = '<sip:tok123@127.0.0.3:40000;transport=udp>'): SipMessage {
  return msg(
    request('REGISTER', uri, [
      ['Via', 'SIP/2.0/UDP 127.0.0.3:40000;branch=z9hG4bKabc;rport'],
      ['From', `<sip:alice@${DOMAIN}>;tag=1`],
      ['To', `<sip:alice@${DOMAIN}>`],
      ['Call-ID', 'reg-1'],
      ['CSeq', '1 REGISTER'],
      ['Contact', contact],
      ['Expires', '120'],
      ...(authorization === undefined ? [] : [['Authorization', authorization] as const]),
    ]),
  );
}

function setup(): { registrar: SimRegistrar; clock: ManualClock; answer: (req: SipMessage) => SipMessage } {
  const clock = new ManualClock();
  const registrar = new SimRegistrar({ domain: DOMAIN, accounts: [{ user: 'alice', password: 's3cret' }], clock, random: new LabRandom(1) });
  const answer = (req: SipMessage): SipMessage => {
    let out = '';
    registrar.handle(req, GUARD, (text) => (out = text));
    return msg(out);
  };
  return { registrar, clock, answer };
}

function credentials(challenge: SipMessage, password: string, uri = `sip:${DOMAIN}`): string {
  const digest = parseDigest(challenge.get('WWW-Authenticate')!);
  if (isSipError(digest)) throw new Error(digest.message);
  const value = answerDigestChallenge(digest, { username: 'alice', password, method: 'REGISTER', uri });
  if (isSipError(value)) throw new Error(value.message);
  return value;
}

describe('SimRegistrar (RFC 3261 §10.3, §22.4; RFC 3581)', () => {
  it('challenges, then binds the Contact and lists it with its expiry; the top Via gets received and rport', () => {
    const { registrar, clock, answer } = setup();
    const challenge = answer(register());
    expect(challenge.status).toBe(401);
    expect(challenge.getAll('Via')[0]).toBe('SIP/2.0/UDP 127.0.0.3:40000;branch=z9hG4bKabc;received=127.0.0.3;rport=40000');
    const ok = answer(register(credentials(challenge, 's3cret')));
    expect(ok.status).toBe(200);
    expect(ok.get('Contact')).toBe('<sip:tok123@127.0.0.3:40000;transport=udp>;expires=120');
    expect(registrar.contacts(`sip:alice@${DOMAIN}`)).toEqual(['sip:tok123@127.0.0.3:40000;transport=udp']);
    clock.advance(121_000);
    expect(registrar.contacts(`sip:alice@${DOMAIN}`)).toEqual([]);
  });

  it('refuses a wrong password, a stale nonce and credentials signed for another Request-URI', () => {
    const { registrar, answer } = setup();
    const challenge = answer(register());
    expect(answer(register(credentials(challenge, 'guess'))).status).toBe(401);
    const other = `sip:other.${DOMAIN}`;
    expect(answer(register(credentials(challenge, 's3cret', other))).status).toBe(401);
    expect(answer(register(credentials(challenge, 's3cret').replace(/nonce="[^"]+"/, 'nonce="0000"'))).status).toBe(401);
    expect(registrar.stats()).toMatchObject({ accepted: 0 });
  });

  it('removes a binding asked with expires=0', () => {
    const { registrar, answer } = setup();
    const auth = credentials(answer(register()), 's3cret');
    answer(register(auth));
    answer(register(auth, `sip:${DOMAIN}`, '<sip:tok123@127.0.0.3:40000;transport=udp>;expires=0'));
    expect(registrar.contacts(`sip:alice@${DOMAIN}`)).toEqual([]);
  });

  it('viaSeenFrom replaces any rport or received already there', () => {
    expect(viaSeenFrom('SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKx;received=1.2.3.4', { address: '127.0.0.3', port: 4 })).toBe(
      'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx;received=127.0.0.3;rport=4',
    );
  });
});
