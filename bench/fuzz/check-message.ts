/**
 * The fuzzing property (issue 2): whatever bytes arrive, the SIP layer answers with a value or a typed
 * `SipError`, never an exception.
 *
 * - `parseMessage` returns a `SipMessage` or a `SipError` and does not throw;
 * - on a `SipMessage`, every accessor (from, to, vias, topVia, cseq, callId, contacts, routes,
 *   recordRoutes, maxForwards, expires, uri, ...), `serialize()` and `validate()` return a value or a
 *   `SipError` without throwing, and every `SipError` carries a code and a byte offset inside the input;
 * - an unmodified message serializes back to exactly `raw`, and `raw` is bytes of the input;
 * - a modified copy (a proxy prepends its Via) serializes without throwing and parses again.
 *
 * A broken property throws `PropertyViolation`, with the original exception as `cause`.
 */
import { SipError } from '../../src/sip/errors.js';
import { SipMessage } from '../../src/sip/message.js';
import { parseMessage, type ParseOptions } from '../../src/sip/parse.js';
import { validate, validateAll } from '../../src/sip/validate.js';

export class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
}

type Accessor = readonly [name: string, call: (m: SipMessage) => unknown, mayBeUndefined: boolean];

const ACCESSORS: readonly Accessor[] = [
  ['uri()', (m) => m.uri(), false],
  ['from()', (m) => m.from(), false],
  ['to()', (m) => m.to(), false],
  ['vias()', (m) => m.vias(), false],
  ['topVia()', (m) => m.topVia(), false],
  ['cseq()', (m) => m.cseq(), false],
  ['callId()', (m) => m.callId(), false],
  ['maxForwards()', (m) => m.maxForwards(), false],
  ['contacts()', (m) => m.contacts(), false],
  ['routes()', (m) => m.routes(), false],
  ['recordRoutes()', (m) => m.recordRoutes(), false],
  ['contentLength()', (m) => m.contentLength(), false],
  ['expires()', (m) => m.expires(), false],
  ['userAgent()', (m) => m.userAgent(), true],
  ['headerNames()', (m) => m.headerNames(), false],
  ["get('Via')", (m) => m.get('v'), true],
  ["getAll('Route')", (m) => m.getAll('Route'), false],
  ["values('Contact')", (m) => m.values('m'), false],
  ["has('Call-ID')", (m) => m.has('i'), false],
  ['method', (m) => m.method, false],
  ['requestUri', (m) => m.requestUri, false],
  ['status', (m) => m.status, false],
  ['reason', (m) => m.reason, false],
  ['body', (m) => m.body, false],
  ['validate()', (m) => validate(m), false],
  ['validateAll()', (m) => validateAll(m), false],
];

/** Checks the property on one input; throws `PropertyViolation` when it does not hold. */
export function checkMessage(input: Buffer, options?: ParseOptions): void {
  let parsed: unknown;
  try {
    parsed = options === undefined ? parseMessage(input) : parseMessage(input, options);
  } catch (e) {
    throw violation('parseMessage threw', e);
  }
  if (parsed instanceof SipError) {
    checkError('parseMessage', parsed, input.length);
    return;
  }
  if (!(parsed instanceof SipMessage)) throw violation('parseMessage returned neither a SipMessage nor a SipError');
  const m = parsed;
  for (const [name, call, mayBeUndefined] of ACCESSORS) {
    let value: unknown;
    try {
      value = call(m);
    } catch (e) {
      throw violation(`${name} threw`, e);
    }
    if (value === undefined && !mayBeUndefined) throw violation(`${name} returned undefined`);
    if (value instanceof SipError) checkError(name, value, input.length);
    if (Array.isArray(value)) for (const v of value as unknown[]) if (v instanceof SipError) checkError(name, v, input.length);
  }
  checkSerialize(m, input);
  checkModifiedCopy(m);
}

function checkSerialize(m: SipMessage, input: Buffer): void {
  let out: Buffer;
  try {
    out = m.serialize();
  } catch (e) {
    throw violation('serialize() threw', e);
  }
  if (!out.equals(m.raw)) throw violation(`serialize() of an unmodified message differs from raw (${out.length} vs ${m.raw.length} bytes)`);
  if (input.indexOf(m.raw) < 0) throw violation('raw is not a slice of the input bytes');
}

/** What a proxy does to every request it relays (RFC 3261 §16.6 step 8): add its own Via on top. */
function checkModifiedCopy(m: SipMessage): void {
  let again: unknown;
  try {
    const copy = m.clone();
    copy.prependHeader('Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-fuzz;rport');
    again = parseMessage(copy.serialize());
  } catch (e) {
    throw violation('clone/prependHeader/serialize/parse of a modified copy threw', e);
  }
  if (!(again instanceof SipMessage) && !(again instanceof SipError)) throw violation('reparse returned neither a SipMessage nor a SipError');
}

function checkError(where: string, e: SipError, inputLength: number): void {
  if (typeof e.code !== 'string' || !e.code.startsWith('SIP_')) throw violation(`${where}: SipError without a code`);
  if (typeof e.message !== 'string') throw violation(`${where}: SipError without a message`);
  if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > inputLength) {
    throw violation(`${where}: ${e.code} offset ${e.offset} is outside the input (0..${inputLength})`);
  }
}

function violation(what: string, cause?: unknown): PropertyViolation {
  const detail = cause instanceof Error ? `: ${cause.name}: ${cause.message}` : cause === undefined ? '' : `: ${String(cause)}`;
  return new PropertyViolation(`${what}${detail}`, cause === undefined ? undefined : { cause });
}
