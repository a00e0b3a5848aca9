import { describe, expect, it } from 'vitest';
import { MAX_FIELD_LENGTH } from './fingerprint-schema.js';
import { MessageFeatures, SDP_SCAN_BYTES, scanSdp } from './message-features.js';
import { phoneInvite, request } from './test-kit.js';

describe('message features', () => {
  it('reads the parts of From, To, the Request-URI and the top Via', () => {
    const f = new MessageFeatures(
      request([
        'INVITE sip:100@192.0.2.40 SIP/2.0',
        'Via: SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK-1024730581;rport',
        'Max-Forwards: 70',
        'To: "sipvicious"<sip:100@1.1.1.1>',
        'From: "sipvicious"<sip:100@1.1.1.1>;tag=6330',
        'User-Agent: friendly-scanner',
        'Call-ID: 471862937145308862251009',
        'Contact: sip:100@198.51.100.66:5060',
        'CSeq: 1 INVITE',
        'Content-Length: 0',
      ]),
    );
    expect(f.get('request-user')).toBe('100');
    expect(f.get('request-host')).toBe('192.0.2.40');
    expect(f.get('request-host-is-ip')).toBe('true');
    expect(f.get('from-display')).toBe('sipvicious');
    expect(f.get('from-host')).toBe('1.1.1.1');
    expect(f.get('from-tag')).toBe('6330');
    expect(f.get('to-equals-from')).toBe('true');
    expect(f.get('via-host')).toBe('198.51.100.66');
    expect(f.get('via-branch')).toBe('z9hG4bK-1024730581');
    expect(f.get('contact')).toBe('sip:100@198.51.100.66:5060');
    expect(f.get('cseq-number')).toBe('1');
    expect(f.get('header:max-forwards')).toBe('70');
    expect(f.get('several-vias')).toBeNull();
    expect(f.headerOrder().slice(0, 4)).toEqual(['via', 'max-forwards', 'to', 'from']);
  });

  it('gives null for what is absent or unreadable, and never throws', () => {
    const f = new MessageFeatures(phoneInvite({ From: '<<<garbage', 'User-Agent': null }));
    expect(f.get('from-user')).toBeNull();
    expect(f.get('from-tag')).toBeNull();
    expect(f.get('to-equals-from')).toBeNull();
    expect(f.get('user-agent')).toBeNull();
    expect(f.get('header:x-nothing')).toBeNull();
    expect(f.get('sdp-session')).toBeNull();
  });

  it('counts lower-case multi-letter header names, not compact forms', () => {
    const f = new MessageFeatures(request(['OPTIONS sip:100@192.0.2.40 SIP/2.0', 'via: SIP/2.0/UDP 198.51.100.66;branch=z9hG4bK1', 'from: <sip:a@b>;tag=1', 'to: <sip:a@b>', 'call-id: 1', 'cseq: 1 OPTIONS', 'content-length: 0']));
    expect(f.get('lower-case-names')).toBe('true');
    const compact = new MessageFeatures(request(['OPTIONS sip:100@192.0.2.40 SIP/2.0', 'v: SIP/2.0/UDP 198.51.100.66;branch=z9hG4bK1', 'f: <sip:a@b>;tag=1', 't: <sip:a@b>', 'i: 1', 'CSeq: 1 OPTIONS', 'l: 0']));
    expect(compact.get('lower-case-names')).toBeNull();
    expect(new MessageFeatures(phoneInvite()).get('lower-case-names')).toBeNull();
  });

  it('sees a request that came through a proxy, credentials and RFC 5626 Contacts', () => {
    const relayed = new MessageFeatures(phoneInvite({ Via: 'SIP/2.0/UDP 203.0.113.10;branch=z9hG4bKa, SIP/2.0/UDP 203.0.113.11:5070;branch=z9hG4bKb' }));
    expect(relayed.get('several-vias')).toBe('true');
    expect(new MessageFeatures(phoneInvite({ 'Proxy-Authorization': 'Digest username="a"' })).get('has-credentials')).toBe('true');
    expect(new MessageFeatures(phoneInvite({ Contact: '<sip:a@192.0.2.1>;+sip.instance="<urn:uuid:1>"' })).get('contact-instance')).toBe('true');
  });

  it('cuts every value to MAX_FIELD_LENGTH characters', () => {
    const f = new MessageFeatures(phoneInvite({ 'User-Agent': 'x'.repeat(5000) }));
    expect(f.get('user-agent')).toHaveLength(MAX_FIELD_LENGTH);
  });
});

describe('SDP session lines (RFC 8866 §5)', () => {
  it('reads s= and o= before the first media section', () => {
    const body = Buffer.from('\r\nv=0\r\no=100 8000 8000 IN IP4 198.51.100.75\r\ns=SIPPTS\r\nc=IN IP4 198.51.100.75\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\ns=late\r\n', 'latin1');
    expect(scanSdp(body)).toEqual({ session: 'SIPPTS', origin: '100 8000 8000 IN IP4 198.51.100.75' });
  });

  it('stops at the first media section and reads at most SDP_SCAN_BYTES', () => {
    expect(scanSdp(Buffer.from('v=0\nm=audio 1 RTP/AVP 0\ns=after media\n'))).toEqual({ session: null, origin: null });
    const late = Buffer.concat([Buffer.from('v=0\r\n'), Buffer.alloc(SDP_SCAN_BYTES, 0x61), Buffer.from('\r\ns=portsip.com\r\n')]);
    expect(scanSdp(late).session).toBeNull();
    expect(scanSdp(Buffer.alloc(0))).toEqual({ session: null, origin: null });
  });
});
