/**
 * npm `sip` (kirm/sip.js): `parse()` splits the message with regular expressions and parses From, To,
 * Via, CSeq, Contact, Route and the auth headers eagerly; From/To URIs stay strings until `parseUri()`.
 */
import { createRequire } from 'node:module';
import { describeThrown, erase, missingField, type AnyAdapter, type Fields } from './adapter.js';

interface KirmAor {
  name?: string;
  uri: string;
  params: Record<string, string | undefined>;
}
interface KirmUri {
  user?: string;
  host?: string;
}
interface KirmMessage {
  headers: {
    from?: KirmAor;
    to?: KirmAor;
    via?: Array<{ host?: string; params: Record<string, string | undefined> }>;
    cseq?: { seq: number; method: string };
    'call-id'?: string;
  };
}
interface KirmSip {
  parse(data: string | Buffer): KirmMessage | undefined;
  parseUri(uri: string): KirmUri | undefined;
}

const require = createRequire(import.meta.url);

export function sipPeer(): AnyAdapter {
  const sip = require('sip') as KirmSip;
  const version = (require('sip/package.json') as { version: string }).version;
  return erase({
    name: 'sip',
    version,
    // sip.parse() starts with `s.toString('binary')`: hand it the latin1 string up front.
    prepare: (bytes: Buffer) => bytes.toString('latin1'),
    read(input: string, out: Fields): string | null {
      try {
        const m = sip.parse(input);
        if (m === undefined) return 'parse returned undefined';
        const h = m.headers;
        if (h.from === undefined || h.to === undefined) return 'From/To not parsed';
        const fu = sip.parseUri(h.from.uri);
        const tu = sip.parseUri(h.to.uri);
        if (fu === undefined || tu === undefined) return 'From/To URI not parsed';
        out.fromUser = fu.user ?? '';
        out.fromHost = fu.host ?? '';
        out.fromTag = h.from.params.tag ?? '';
        out.toUser = tu.user ?? '';
        out.toHost = tu.host ?? '';
        out.toTag = h.to.params.tag ?? '';
        const via = h.via?.[0];
        out.viaHost = via?.host ?? '';
        out.viaBranch = via?.params.branch ?? '';
        out.cseqSeq = h.cseq?.seq ?? NaN;
        out.cseqMethod = h.cseq?.method ?? '';
        out.callId = h['call-id'] ?? '';
        return missingField(out);
      } catch (e) {
        return describeThrown(e);
      }
    },
  });
}
