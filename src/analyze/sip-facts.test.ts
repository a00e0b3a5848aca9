import { describe, expect, it } from 'vitest';
import { mayTeachTopology, readSipFacts } from './sip-facts.js';
import { captured, invite, PHONE, PROVIDER, response } from './test-kit.js';

const b = (text: string) => Buffer.from(text, 'latin1');

describe('mayTeachTopology', () => {
  it('keeps REGISTER, INVITE and the responses that can be evidence', () => {
    for (const yes of ['REGISTER sip:x SIP/2.0', 'INVITE sip:x SIP/2.0', 'SIP/2.0 200 OK', 'SIP/2.0 202 Accepted', 'SIP/2.0 180 Ringing', 'SIP/2.0 183 Session Progress', 'SIP/2.0 401 Unauthorized', 'SIP/2.0 407 Proxy Authentication Required', '\r\nINVITE sip:x SIP/2.0', 'SIP/2.0']) {
      expect(mayTeachTopology(b(yes)), yes).toBe(true);
    }
  });

  it('skips what cannot be evidence without parsing it', () => {
    for (const no of ['OPTIONS sip:x SIP/2.0', 'ACK sip:x SIP/2.0', 'BYE sip:x SIP/2.0', 'SIP/2.0 100 Trying', 'SIP/2.0 486 Busy Here', 'SIP/2.0 404 Not Found', 'INVITES', 'REGISTERx', '']) {
      expect(mayTeachTopology(b(no)), no).toBe(false);
    }
  });
});

describe('readSipFacts', () => {
  it('reads a request and a response with the same parser as the guard', () => {
    const text = invite(PHONE, PROVIDER, { callId: 'abc', cseq: 7 });
    const req = readSipFacts(captured(text, PROVIDER, PHONE));
    expect(req).toMatchObject({ isRequest: true, method: 'INVITE', status: null, callId: 'abc', cseqMethod: 'INVITE', cseqSeq: 7, toTag: null, error: null });
    const res = readSipFacts(captured(response(text, 180, 'Ringing', 'tt'), PHONE, PROVIDER));
    expect(res).toMatchObject({ isRequest: false, method: null, status: 180, callId: 'abc', cseqMethod: 'INVITE', toTag: 'tt' });
  });

  it('returns the parse error for bytes that are not SIP', () => {
    const facts = readSipFacts(captured('HELLO WORLD\r\n\r\n', PHONE, PROVIDER));
    expect(facts.msg).toBeNull();
    expect(facts.error?.code).toMatch(/^SIP_/);
  });
});
