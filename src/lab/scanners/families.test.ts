import { describe, expect, it } from 'vitest';
import { isSipError } from '../../sip/errors.js';
import type { SipMessage } from '../../sip/message.js';
import { parseMessage } from '../../sip/parse.js';
import { LabRandom } from '../lab-random.js';
import { SCANNER_FAMILIES } from './families.js';
import { NMAP_SIP_OPTIONS_PROBE } from './nmap.js';
import type { ScannerContext } from './scanner-family.js';
import { SCANNER_IDS } from './scanner-id.js';

const ctx = (seed = 1): ScannerContext => ({
  self: { address: '127.0.0.11', port: 5060 },
  target: { address: '127.0.0.3', port: 40000 },
  random: new LabRandom(seed),
  floodSize: 30,
});

function parsed(text: string): SipMessage {
  const msg = parseMessage(Buffer.from(text, 'latin1'));
  if (isSipError(msg)) throw new Error(`${msg.message}\n${text}`);
  return msg;
}

/** Every message of the first `rounds` bursts of a family. */
function messages(id: (typeof SCANNER_IDS)[number], rounds = 4): SipMessage[] {
  const c = ctx();
  return Array.from({ length: rounds }, (_, round) => SCANNER_FAMILIES[id].burst(c, round).messages).flat().map(parsed);
}

describe('lab scanners: the real families\' messages (bench/corpus/README.md facts)', () => {
  it('every family sends well-formed SIP requests with a correct Content-Length', () => {
    for (const id of SCANNER_IDS) {
      for (const msg of messages(id)) {
        expect(msg.isRequest, id).toBe(true);
        expect(msg.contentLength(), id).toBe(msg.body.length);
      }
    }
  });

  it('svmap: sip:100@<target>, "sipvicious"<sip:100@1.1.1.1>, friendly-scanner, createTag of the target address and port', () => {
    const [options, invite] = messages('svmap', 1);
    expect(options!.method).toBe('OPTIONS');
    expect(invite!.requestUri).toBe('sip:100@127.0.0.3');
    expect(invite!.get('User-Agent')).toBe('friendly-scanner');
    expect(invite!.get('To')).toBe('"sipvicious"<sip:100@1.1.1.1>');
    const tag = /tag=([0-9a-f]+)/.exec(invite!.get('From')!)![1]!;
    // 7f000003 = 127.0.0.3, 9c40 = 40000, then 0x01 and a decimal.
    expect(Buffer.from(tag, 'hex').toString('latin1')).toMatch(/^7f0000039c40\x01\d+$/);
    expect(invite!.headerNames()).toEqual(['Via', 'Max-Forwards', 'To', 'From', 'User-Agent', 'Call-ID', 'Contact', 'CSeq', 'Accept', 'Content-Length']);
    expect(invite!.get('Via')).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.11:5060;branch=z9hG4bK-\d+;rport$/);
  });

  it('svwar sweeps extensions, svcrack carries a digest guess after Content-Length', () => {
    const sweep = messages('svwar', 2);
    expect(sweep.slice(0, 3).map((m) => m.requestUri)).toEqual(['sip:100@127.0.0.3', 'sip:101@127.0.0.3', 'sip:102@127.0.0.3']);
    expect(sweep[10]!.method).toBe('REGISTER');
    const [guess] = messages('svcrack', 1);
    expect(guess!.get('CSeq')).toBe('2 REGISTER');
    expect(guess!.headerNames().at(-1)).toBe('Authorization');
    expect(guess!.get('Authorization')).toMatch(/^Digest username="100",realm="asterisk",nonce="[0-9a-f]{8}",uri="sip:127\.0\.0\.3",algorithm=MD5,qop=auth,response="[0-9a-f]{32}"$/);
    // The guess travels hex-encoded in the From tag: "100:1234", 0x01, a decimal.
    expect(Buffer.from(/tag=([0-9a-f]+)/.exec(guess!.get('From')!)![1]!, 'hex').toString('latin1')).toMatch(/^100:1234\x01\d+$/);
  });

  it('nmap: the SIPOptions probe byte for byte, then the NSE OPTIONS', () => {
    expect(NMAP_SIP_OPTIONS_PROBE).toBe(
      'OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/UDP nm;branch=foo;rport\r\nFrom: <sip:nm@nm>;tag=root\r\nTo: <sip:nm2@nm2>\r\n' +
        'Call-ID: 50000\r\nCSeq: 42 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\nContact: <sip:nm@nm>\r\nAccept: application/sdp\r\n\r\n',
    );
    const [, nse] = messages('nmap', 2);
    expect(nse!.get('User-Agent')).toBe('Nmap NSE');
    expect(nse!.get('CSeq')).toBe('1234 OPTIONS');
    expect(nse!.raw.toString('latin1')).toContain('Content-Length:  0\r\n');
  });

  it('metasploit, sippts and the dialers carry their fingerprints', () => {
    const [options, enumerate] = messages('metasploit', 2);
    expect(options!.get('From')).toMatch(/;tag=70c00e8c$/);
    expect(options!.get('Max-Forwards')).toBe('20');
    expect(enumerate!.method).toBe('REGISTER');
    const [sippts] = messages('sippts', 1);
    expect(sippts!.get('User-Agent')).toBe('pplsip');
    expect(sippts!.topVia()).toMatchObject({ branch: expect.not.stringMatching(/^z9hG4bK/) });
    expect(sippts!.body.toString('latin1')).toContain('s=SIPPTS');
    const dialers = messages('dialer', 4);
    expect(dialers.map((m) => m.get('User-Agent'))).toEqual(['Cisco-SIPGateway/IOS-12.x', 'PortSIP VoIP SDK 11.2.4', 'sipcli/v1.8', 'VaxSIPUserAgent/3.1']);
    expect(dialers[0]!.requestUri).toBe('sip:00972595123456@127.0.0.3');
    expect(dialers[1]!.body.toString('latin1')).toContain('s=portsip.com');
  });

  it('the flood is bounded and every INVITE is fresh', () => {
    const burst = SCANNER_FAMILIES.flood.burst(ctx(), 0);
    expect(burst.messages).toHaveLength(30);
    expect(new Set(burst.messages.map((m) => parsed(m).get('Call-ID'))).size).toBe(30);
    expect(burst.perTick * (1000 / burst.gapMs)).toBeLessThanOrEqual(400);
  });

  it('the same seed gives the same messages', () => {
    expect(SCANNER_FAMILIES.svwar.burst(ctx(9), 0).messages).toEqual(SCANNER_FAMILIES.svwar.burst(ctx(9), 0).messages);
    expect(SCANNER_FAMILIES.svwar.burst(ctx(9), 0).messages).not.toEqual(SCANNER_FAMILIES.svwar.burst(ctx(10), 0).messages);
  });
});
