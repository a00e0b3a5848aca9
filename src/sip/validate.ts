/**
 * Semantic validation: what a proxy must check before it acts on a message that parsed (RFC 3261
 * §16.3 "Request Validation", §8.2, §18.3, and the RFC 4475 torture cases). Each failure has a
 * stable code; `validate` returns the first, `validateAll` every one.
 *
 * Not here, because they are decisions of the proxy and not faults of the message: Max-Forwards 0
 * (483, §16.3 step 3), loops (482), unknown methods (405/501), unsupported extensions (420), bodies
 * the element cannot read (415).
 */
import { SipError } from './errors.js';
import { HeaderId } from './header-names.js';
import type { SipMessage } from './message.js';
import type { NameAddr } from './types.js';

const MAX_CSEQ = 0x7fffffff;

export function validate(msg: SipMessage): SipError | null {
  return check(msg, true)[0] ?? null;
}

export function validateAll(msg: SipMessage): SipError[] {
  return check(msg, false);
}

function check(msg: SipMessage, firstOnly: boolean): SipError[] {
  const errors: SipError[] = [];
  const fail = (error: SipError | null): boolean => {
    if (error) errors.push(error);
    return firstOnly && errors.length > 0;
  };

  // §7.1 / §21.5.7: only SIP/2.0 is understood (505 Version Not Supported).
  if (msg.version.toUpperCase() !== 'SIP/2.0') {
    if (fail(new SipError('SIP_UNSUPPORTED_VERSION', `version ${msg.version} is not supported`, 0))) return errors;
  }

  // §8.1.1: To, From, CSeq, Call-ID, Via are mandatory (Max-Forwards is checked only when present:
  // RFC 2543 elements omitted it, RFC 4475 §3.3.13).
  for (const error of [msg.to(), msg.from(), msg.callId(), msg.cseq(), msg.vias()]) {
    if (error instanceof SipError && fail(error)) return errors;
  }
  const vias = msg.vias();
  if (!(vias instanceof SipError) && vias.length === 0) {
    if (fail(new SipError('SIP_MISSING_HEADER', 'no Via header', 0))) return errors;
  }
  const maxForwards = msg.maxForwards();
  if (maxForwards instanceof SipError && fail(maxForwards)) return errors;

  const cseq = msg.cseq();
  if (!(cseq instanceof SipError) && cseq.seq > MAX_CSEQ) {
    if (fail(new SipError('SIP_BAD_CSEQ', 'CSeq number must be below 2**31', 0))) return errors;
  }
  // §8.1.1.5 / §16.3: the CSeq method must match the request method (RFC 4475 §3.1.2.16, 3.1.2.17).
  if (msg.isRequest && !(cseq instanceof SipError) && cseq.method !== msg.method) {
    if (fail(new SipError('SIP_CSEQ_METHOD_MISMATCH', `CSeq method ${cseq.method} does not match the request method ${msg.method}`, 0))) {
      return errors;
    }
  }

  // §18.3 / RFC 4475 §3.1.2.5: conflicting Content-Length values leave the body extent unknown.
  if (msg.contentLengthConflict) {
    if (fail(new SipError('SIP_BAD_CONTENT_LENGTH', 'two Content-Length headers with different values', 0))) return errors;
  }

  if (msg.isRequest && fail(checkRequestUri(msg))) return errors;

  for (const error of [msg.contacts(), msg.routes(), msg.recordRoutes(), msg.expires()]) {
    if (error instanceof SipError && fail(error)) return errors;
  }
  const contacts = msg.contacts();
  if (Array.isArray(contacts)) {
    for (const contact of contacts as readonly NameAddr[]) {
      const expires = contact.params.get('expires');
      if (expires !== undefined && !isDeltaSeconds(expires ?? '')) {
        if (fail(new SipError('SIP_BAD_EXPIRES', 'Contact expires parameter must be a number of seconds up to 4294967295', 0))) return errors;
      }
    }
  }

  // RFC 3261 §20.17: Date is an RFC 1123 date in GMT (RFC 4475 §3.1.2.12 baddate).
  const date = msg.lineValues(HeaderId.Date);
  for (const line of date) {
    if (!isSipDate(line.value) && fail(new SipError('SIP_BAD_HEADER_VALUE', 'Date must be an RFC 1123 date in GMT', Math.max(0, line.offset)))) {
      return errors;
    }
  }
  return errors;
}

/** §16.3 / §19.1.1: the Request-URI parses, is sip, sips or tel (416), and carries no headers (RFC 4475 §3.1.2.11). */
function checkRequestUri(msg: SipMessage): SipError | null {
  const uri = msg.uri();
  if (uri instanceof SipError) return uri;
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips' && uri.scheme !== 'tel') {
    return new SipError('SIP_UNSUPPORTED_URI_SCHEME', `Request-URI scheme "${uri.scheme}" is not supported`, 0);
  }
  if ('headers' in uri && uri.headers.length > 0) {
    return new SipError('SIP_BAD_URI', 'a Request-URI must not contain headers (RFC 3261 §19.1.5)', 0);
  }
  return null;
}

function isDeltaSeconds(text: string): boolean {
  if (text.length === 0 || text.length > 10) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return Number(text) <= 0xffffffff;
}

const WKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** SIP-date = wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT". */
function isSipDate(text: string): boolean {
  const value = text.trim();
  if (value.length !== 29) return false;
  const lower = value.toLowerCase();
  return (
    WKDAYS.includes(lower.slice(0, 3)) &&
    lower.slice(3, 5) === ', ' &&
    digits(lower, 5, 7) &&
    lower[7] === ' ' &&
    MONTHS.includes(lower.slice(8, 11)) &&
    lower[11] === ' ' &&
    digits(lower, 12, 16) &&
    lower[16] === ' ' &&
    digits(lower, 17, 19) &&
    lower[19] === ':' &&
    digits(lower, 20, 22) &&
    lower[22] === ':' &&
    digits(lower, 23, 25) &&
    value.slice(25) === ' GMT'
  );
}

function digits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
