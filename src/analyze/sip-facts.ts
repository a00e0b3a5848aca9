/**
 * One captured payload read through the live guard's parser (src/sip parseMessage: one code path with
 * the guard), reduced to the few facts the analyzer groups and matches by. The parsed message is only
 * valid while the capture reader has not moved on (its bytes may be a reused buffer): callers use it
 * at once and keep only the strings below.
 */
import { Buffer } from 'node:buffer';
import { isSipError, type SipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import type { CapturedMessage } from './capture/captured-message.js';

export interface SipFacts {
  /** Null when the payload did not parse (then `error` says why). */
  readonly msg: SipMessage | null;
  readonly error: SipError | null;
  readonly isRequest: boolean;
  /** Request method, or null for a response or an unparsable payload. */
  readonly method: string | null;
  /** Response status, or null. */
  readonly status: number | null;
  readonly callId: string | null;
  /** CSeq method and number (a response's CSeq names the request it answers). */
  readonly cseqMethod: string | null;
  readonly cseqSeq: number | null;
  /** To tag: a request with one is in-dialog (RFC 3261 §12.2). */
  readonly toTag: string | null;
}

export function readSipFacts(captured: CapturedMessage): SipFacts {
  const bytes = captured.bytes;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parsed = parseMessage(buf, { framing: captured.transport === 'tcp' ? 'stream' : 'datagram' });
  if (isSipError(parsed)) {
    return { msg: null, error: parsed, isRequest: false, method: null, status: null, callId: null, cseqMethod: null, cseqSeq: null, toTag: null };
  }
  const callId = parsed.callId();
  const cseq = parsed.cseq();
  const to = parsed.to();
  return {
    msg: parsed,
    error: null,
    isRequest: parsed.isRequest,
    method: parsed.isRequest ? parsed.method : null,
    status: parsed.isRequest ? null : parsed.status,
    callId: isSipError(callId) ? null : callId,
    cseqMethod: isSipError(cseq) ? null : cseq.method,
    cseqSeq: isSipError(cseq) ? null : cseq.seq,
    toTag: isSipError(to) ? null : (to.params.get('tag') ?? null),
  };
}

/** "addr:port", with IPv6 in brackets as in a URI. */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

const REGISTER = Buffer.from('REGISTER ', 'latin1');
const INVITE = Buffer.from('INVITE ', 'latin1');
const SIP20 = Buffer.from('SIP/2.0 ', 'latin1');

/**
 * Whether a payload can be evidence of who is who (pass 1), judged from its first bytes so that the
 * rest are not parsed twice: a REGISTER, an INVITE, or a 18x/2xx/401/407 response. Anything unsure
 * (leading CRLFs, odd spacing) says yes and is parsed.
 */
export function mayTeachTopology(bytes: Uint8Array): boolean {
  const c = bytes[0];
  if (c === 0x52) return startsWith(bytes, REGISTER);
  if (c === 0x49) return startsWith(bytes, INVITE);
  if (c !== 0x53) return c === 0x0d || c === 0x0a || c === 0x20;
  if (!startsWith(bytes, SIP20) || bytes.length < 11) return true;
  const d0 = bytes[8]!;
  const d1 = bytes[9]!;
  const d2 = bytes[10]!;
  if (d0 === 0x32) return true; // 2xx
  if (d0 === 0x31) return d1 === 0x38; // 18x
  return d0 === 0x34 && d1 === 0x30 && (d2 === 0x31 || d2 === 0x37); // 401, 407
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * A copy of a string cut from a message. V8 keeps a substring as a view of the whole message text, so
 * a Call-ID kept as a map key would keep its message (about 1 kB) alive: what is kept is copied.
 */
export function ownString(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}
