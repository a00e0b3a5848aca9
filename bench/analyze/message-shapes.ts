/**
 * The SIP messages the benchmark's capture is made of, read from bench/corpus (provider, phone and
 * dialog messages) and test/fixtures/scanners (real scanner requests), with a fresh Call-ID per use
 * so that every message in the capture can be told apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
const SCANNERS = fileURLToPath(new URL('../../test/fixtures/scanners/', import.meta.url));

export interface MessageShapes {
  readonly register: Buffer;
  readonly challenge: Buffer;
  readonly registerOk: Buffer;
  readonly invite: readonly Buffer[];
  readonly trying: Buffer;
  readonly ringing: Buffer;
  readonly answer: Buffer;
  readonly ack: Buffer;
  readonly bye: Buffer;
  /** Scanner requests (OPTIONS, INVITE, REGISTER floods). */
  readonly scanners: readonly Buffer[];
}

function corpus(name: string): Buffer {
  return readFileSync(CORPUS + name);
}

export function loadShapes(): MessageShapes {
  const scanners: Buffer[] = readdirSync(SCANNERS)
    .filter((f) => f.endsWith('.sip'))
    .sort()
    .map((f) => readFileSync(SCANNERS + f));
  for (const f of readdirSync(CORPUS).filter((n) => n.startsWith('scanner-')).sort()) scanners.push(corpus(f));
  return {
    register: corpus('deskphone-yealink-register-auth.sip'),
    challenge: corpus('response-401-register-challenge.sip'),
    registerOk: corpus('response-200-ok-register-contacts.sip'),
    invite: [corpus('pbx-asterisk-invite-sdp.sip'), corpus('pbx-freeswitch-invite-sdp.sip')],
    trying: corpus('response-100-trying-multi-via.sip'),
    ringing: corpus('response-180-ringing-record-route.sip'),
    answer: corpus('response-200-ok-invite-sdp-record-route.sip'),
    ack: corpus('request-ack-in-dialog-route.sip'),
    bye: corpus('request-bye-in-dialog-route.sip'),
    scanners,
  };
}

/**
 * `message` with its Call-ID value (long or compact `i:` form) replaced by `callId`. The body is
 * untouched, so Content-Length stays right. A message without a Call-ID gets none.
 */
export function withCallId(message: Buffer, callId: string): Buffer {
  const text = message.toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const replaced = head.replace(/^(call-id|i)([ \t]*:[ \t]*)[^\r\n]*/im, (_m, name: string, colon: string) => `${name}${colon}${callId}`);
  return Buffer.from(replaced + text.slice(head.length), 'latin1');
}
