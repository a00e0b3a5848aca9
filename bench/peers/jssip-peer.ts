/**
 * npm `jssip`: `Parser.parseMessage(data, ua)` (lib/Parser.js, not re-exported by the package index but
 * reachable by path) runs its PEG grammar eagerly on From, To, the top Via, CSeq, Call-ID, Contact,
 * Record-Route and more. The `ua` argument is only stored on requests (for replying), so parsing needs
 * no UA: `undefined` is passed. Its warnings go through `debug`, silent unless DEBUG=JsSIP:* is set.
 */
import { createRequire } from 'node:module';
import { describeThrown, erase, missingField, type AnyAdapter, type Fields } from './adapter.js';

interface JsSipUri {
  user?: string | null;
  host?: string;
}
interface JsSipMessage {
  from?: { uri: JsSipUri };
  to?: { uri: JsSipUri };
  from_tag?: string;
  to_tag?: string;
  via?: { host?: string };
  via_branch?: string;
  call_id?: string;
  parseHeader(name: 'cseq'): { value: number; method: string } | undefined;
}
interface JsSipParser {
  parseMessage(data: string, ua: unknown): JsSipMessage | undefined;
}

const require = createRequire(import.meta.url);

export function jssipPeer(): AnyAdapter {
  const parser = require('jssip/lib/Parser') as JsSipParser;
  const version = (require('jssip/package.json') as { version: string }).version;
  return erase({
    name: 'jssip',
    version,
    // JsSIP gets text frames from its WebSocket transport: decode UTF-8 up front.
    prepare: (bytes: Buffer) => bytes.toString('utf8'),
    read(input: string, out: Fields): string | null {
      try {
        const m = parser.parseMessage(input, undefined);
        if (m === undefined) return 'parseMessage returned undefined';
        if (m.from === undefined || m.to === undefined) return 'From/To not parsed';
        out.fromUser = m.from.uri.user ?? '';
        out.fromHost = m.from.uri.host ?? '';
        out.fromTag = m.from_tag ?? '';
        out.toUser = m.to.uri.user ?? '';
        out.toHost = m.to.uri.host ?? '';
        out.toTag = m.to_tag ?? '';
        out.viaHost = m.via?.host ?? '';
        out.viaBranch = m.via_branch ?? '';
        const cseq = m.parseHeader('cseq');
        out.cseqSeq = cseq?.value ?? NaN;
        out.cseqMethod = cseq?.method ?? '';
        out.callId = m.call_id ?? '';
        return missingField(out);
      } catch (e) {
        return describeThrown(e);
      }
    },
  });
}
