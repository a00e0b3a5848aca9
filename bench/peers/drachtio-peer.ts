/**
 * npm `drachtio-sip` (the message layer of drachtio-srf): `new SipMessage(string)` splits the headers
 * (lazily, with regular expressions); `getParsedHeader()` parses one on demand and `parseUri()` a URI.
 */
import { createRequire } from 'node:module';
import { describeThrown, erase, missingField, type AnyAdapter, type Fields } from './adapter.js';

interface DrachtioAor {
  uri: string;
  params: Record<string, string | undefined>;
}
interface DrachtioMessage {
  get(name: string): string | undefined;
  getParsedHeader(name: 'from' | 'to'): DrachtioAor;
  getParsedHeader(name: 'via'): Array<{ host?: string; params: Record<string, string | undefined> }>;
  getParsedHeader(name: 'cseq'): { seq: number; method: string };
}
interface DrachtioSipMessageClass {
  new (raw: string): DrachtioMessage;
  parseUri(uri: string): { user?: string; host?: string } | undefined;
}

const require = createRequire(import.meta.url);

export function drachtioPeer(): AnyAdapter {
  const SipMessage = (require('drachtio-sip') as { SipMessage: DrachtioSipMessageClass }).SipMessage;
  const version = (require('drachtio-sip/package.json') as { version: string }).version;
  return erase({
    name: 'drachtio-sip',
    version,
    // SipMessage takes a string (drachtio-srf gets one from the drachtio server): decode UTF-8 up front.
    prepare: (bytes: Buffer) => bytes.toString('utf8'),
    read(input: string, out: Fields): string | null {
      try {
        const m = new SipMessage(input);
        const from = m.getParsedHeader('from');
        const to = m.getParsedHeader('to');
        const fu = SipMessage.parseUri(from.uri);
        const tu = SipMessage.parseUri(to.uri);
        if (fu === undefined || tu === undefined) return 'From/To URI not parsed';
        out.fromUser = fu.user ?? '';
        out.fromHost = fu.host ?? '';
        out.fromTag = from.params.tag ?? '';
        out.toUser = tu.user ?? '';
        out.toHost = tu.host ?? '';
        out.toTag = to.params.tag ?? '';
        const via = m.getParsedHeader('via')[0];
        out.viaHost = via?.host ?? '';
        out.viaBranch = via?.params.branch ?? '';
        const cseq = m.getParsedHeader('cseq');
        out.cseqSeq = cseq.seq;
        out.cseqMethod = cseq.method;
        out.callId = m.get('call-id') ?? '';
        return missingField(out);
      } catch (e) {
        return describeThrown(e);
      }
    },
  });
}
