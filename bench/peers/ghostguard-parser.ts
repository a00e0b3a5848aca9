/**
 * ghostguard's own parser, read the way the guard reads a packet: `parseMessage(buffer)` finds the start
 * line and header boundaries, then each accessor parses its header on first use (and caches it).
 */
import { isSipError } from '../../src/sip/errors.js';
import { parseMessage } from '../../src/sip/parse.js';
import type { NameAddr } from '../../src/sip/types.js';
import { describeThrown, erase, missingField, type AnyAdapter, type Fields } from './adapter.js';

export function ghostguardParser(): AnyAdapter {
  return erase({
    name: 'ghostguard',
    version: 'working tree',
    prepare: (bytes: Buffer) => bytes,
    read(input: Buffer, out: Fields): string | null {
      try {
        const m = parseMessage(input);
        if (isSipError(m)) return `${m.code}: ${m.message} at byte ${m.offset}`;
        const from = m.from();
        if (isSipError(from)) return `From: ${from.code}: ${from.message}`;
        const to = m.to();
        if (isSipError(to)) return `To: ${to.code}: ${to.message}`;
        const via = m.topVia();
        if (isSipError(via)) return `Via: ${via.code}: ${via.message}`;
        const cseq = m.cseq();
        if (isSipError(cseq)) return `CSeq: ${cseq.code}: ${cseq.message}`;
        const callId = m.callId();
        if (isSipError(callId)) return `Call-ID: ${callId.code}: ${callId.message}`;
        out.fromUser = userOf(from);
        out.fromHost = hostOf(from);
        out.fromTag = from.params.get('tag') ?? '';
        out.toUser = userOf(to);
        out.toHost = hostOf(to);
        out.toTag = to.params.get('tag') ?? '';
        out.viaHost = via.host;
        out.viaBranch = via.branch ?? '';
        out.cseqSeq = cseq.seq;
        out.cseqMethod = cseq.method;
        out.callId = callId;
        return missingField(out);
      } catch (e) {
        return describeThrown(e);
      }
    },
  });
}

function userOf(na: NameAddr): string {
  const uri = na.uri;
  if ('user' in uri) return uri.user ?? '';
  if ('number' in uri) return uri.number;
  return '';
}

function hostOf(na: NameAddr): string {
  const uri = na.uri;
  return 'host' in uri ? uri.host : '';
}
