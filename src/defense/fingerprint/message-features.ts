/**
 * The values fingerprints look at, read from one request on demand and cached for that request: a
 * classifier asks only for the fields its signals name, and each at most once.
 *
 * Every value is trimmed and cut to MAX_FIELD_LENGTH characters; an absent or unreadable part is null.
 * The SDP body is read only up to SDP_SCAN_BYTES and only its `s=` and `o=` lines before the first
 * `m=` line: bounded work whatever the body holds.
 */
import { isSipError } from '../../sip/errors.js';
import type { SipMessage } from '../../sip/message.js';
import { firstHeaderValue } from '../../sip/split-values.js';
import { unescapePercent } from '../../sip/text.js';
import type { NameAddr, Uri } from '../../sip/types.js';
import { MAX_FIELD_LENGTH, type Field } from './fingerprint-schema.js';

/** How much of a body is searched for the SDP session lines. */
export const SDP_SCAN_BYTES = 2048;
/** How many header names the order and case checks look at. */
export const MAX_NAMES = 48;

interface Sdp {
  readonly session: string | null;
  readonly origin: string | null;
}

interface UriParts {
  readonly user: string | null;
  readonly host: string | null;
  readonly isIp: boolean;
}

const NO_URI: UriParts = { user: null, host: null, isIp: false };

export class MessageFeatures {
  readonly #msg: SipMessage;
  readonly #fields: readonly Field[];
  /** By slot (the index of the field in `fields`): undefined until read. */
  readonly #values: Array<string | null | undefined>;
  readonly #lower: Array<string | null | undefined>;
  #names: readonly string[] | null = null;
  #sdp: Sdp | null = null;
  /** The request method (upper case as sent). */
  readonly method: string;

  /** `fields`: the fields a classifier reads, each by its index (its slot), read once and cached. */
  constructor(msg: SipMessage, fields: readonly Field[] = []) {
    this.#msg = msg;
    this.#fields = fields;
    this.#values = new Array<string | null | undefined>(fields.length);
    this.#lower = new Array<string | null | undefined>(fields.length);
    this.method = msg.method;
  }

  /** The value of the field in `slot`: text, 'true' for a flag that holds, or null. */
  at(slot: number): string | null {
    let value = this.#values[slot];
    if (value === undefined) {
      value = this.get(this.#fields[slot]!);
      this.#values[slot] = value;
    }
    return value;
  }

  /** The same, lower-cased (ASCII case: the values are byte strings). */
  lowerAt(slot: number): string | null {
    let lower = this.#lower[slot];
    if (lower === undefined) {
      lower = this.at(slot)?.toLowerCase() ?? null;
      this.#lower[slot] = lower;
    }
    return lower;
  }

  /** The value of any field, read now (not cached: classifiers use slots). */
  get(field: Field): string | null {
    const value = this.#read(field);
    return value === null ? null : cap(value);
  }

  /** Header names as written, lower-cased (compact forms stay single letters), at most MAX_NAMES. */
  headerOrder(): readonly string[] {
    if (this.#names === null) this.#names = this.#msg.headerNames().slice(0, MAX_NAMES).map((name) => name.toLowerCase());
    return this.#names;
  }

  #read(field: Field): string | null {
    const msg = this.#msg;
    if (field.startsWith('header:')) return msg.get(field.slice(7))?.trim() ?? null;
    switch (field) {
      case 'method':
        return msg.method;
      case 'request-user':
        return this.#requestUri().user;
      case 'request-host':
        return this.#requestUri().host;
      case 'user-agent':
        return msg.userAgent()?.trim() ?? null;
      case 'from-display':
        return displayOf(this.#party('from'));
      case 'from-user':
        return uriParts(this.#party('from')?.uri).user;
      case 'from-host':
        return uriParts(this.#party('from')?.uri).host;
      case 'from-tag':
        return this.#party('from')?.params.get('tag') ?? null;
      case 'to-display':
        return displayOf(this.#party('to'));
      case 'to-user':
        return uriParts(this.#party('to')?.uri).user;
      case 'to-host':
        return uriParts(this.#party('to')?.uri).host;
      case 'contact': {
        const line = msg.get('contact');
        return line === undefined ? null : (firstHeaderValue(line)?.value ?? line.trim());
      }
      case 'call-id': {
        const id = msg.callId();
        return isSipError(id) ? null : id;
      }
      case 'via': {
        const via = msg.topVia();
        return isSipError(via) ? null : via.raw;
      }
      case 'via-host': {
        const via = msg.topVia();
        return isSipError(via) ? null : via.host;
      }
      case 'via-branch': {
        const via = msg.topVia();
        return isSipError(via) ? null : via.branch;
      }
      case 'cseq-number': {
        const cseq = msg.cseq();
        return isSipError(cseq) ? null : String(cseq.seq);
      }
      case 'max-forwards':
        return msg.get('max-forwards')?.trim() ?? null;
      case 'sdp-session':
        return this.#readSdp().session;
      case 'sdp-origin':
        return this.#readSdp().origin;
      case 'header-order':
        return this.headerOrder().join(',');
      default:
        return flag(this.#flag(field));
    }
  }

  #flag(field: Field): boolean {
    const msg = this.#msg;
    switch (field) {
      case 'to-equals-from': {
        const from = uriParts(this.#party('from')?.uri);
        const to = uriParts(this.#party('to')?.uri);
        return from.host !== null && from.user === to.user && from.host.toLowerCase() === to.host?.toLowerCase();
      }
      case 'lower-case-names':
        return lowerCaseNames(this.headerOrder(), msg.headerNames());
      case 'user-agent-is-from-user': {
        const ua = this.get('user-agent');
        return ua !== null && ua.length > 0 && ua === this.get('from-user');
      }
      case 'several-vias': {
        // Two Via lines, or one line with a list (a comma never appears inside a via-parm we read).
        const lines = msg.getAll('via');
        return lines.length > 1 || (lines.length === 1 && lines[0]!.includes(','));
      }
      case 'has-credentials':
        return msg.has('authorization') || msg.has('proxy-authorization');
      case 'contact-instance': {
        const contact = this.get('contact')?.toLowerCase() ?? '';
        return contact.includes('+sip.instance') || contact.includes('reg-id');
      }
      case 'from-host-is-ip':
        return uriParts(this.#party('from')?.uri).isIp;
      case 'request-host-is-ip':
        return this.#requestUri().isIp;
      default:
        return false;
    }
  }

  #party(which: 'from' | 'to'): NameAddr | null {
    const party = which === 'from' ? this.#msg.from() : this.#msg.to();
    return isSipError(party) ? null : party;
  }

  #requestUri(): UriParts {
    if (!this.#msg.isRequest) return NO_URI;
    const uri = this.#msg.uri();
    return isSipError(uri) ? NO_URI : uriParts(uri);
  }

  #readSdp(): Sdp {
    if (this.#sdp === null) this.#sdp = scanSdp(this.#msg.body);
    return this.#sdp;
  }
}

function flag(holds: boolean): string | null {
  return holds ? 'true' : null;
}

function cap(value: string): string {
  const trimmed = value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value;
  return trimmed.trim();
}

function displayOf(party: NameAddr | null): string | null {
  return party?.displayName ?? null;
}

function uriParts(uri: Uri | undefined): UriParts {
  if (uri === undefined) return NO_URI;
  if (uri.scheme === 'tel' && 'number' in uri) return { user: uri.number, host: null, isIp: false };
  if ((uri.scheme === 'sip' || uri.scheme === 'sips') && 'host' in uri) {
    return { user: uri.user === null ? null : unescapePercent(uri.user), host: uri.host, isIp: uri.hostKind !== 'domain' };
  }
  return NO_URI;
}

/** At least three multi-letter names without an upper-case letter (compact one-letter forms don't count). */
function lowerCaseNames(lowered: readonly string[], written: readonly string[]): boolean {
  let count = 0;
  for (let i = 0; i < lowered.length; i++) {
    const name = written[i]!;
    if (name.length > 1 && name === lowered[i] && hasLetter(name)) count++;
  }
  return count >= 3;
}

function hasLetter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) return true;
  }
  return false;
}

/** The `s=` and `o=` values of an SDP body (RFC 8866 §5): lines before the first media section. */
export function scanSdp(body: Buffer): Sdp {
  if (body.length === 0) return { session: null, origin: null };
  const text = body.toString('latin1', 0, Math.min(body.length, SDP_SCAN_BYTES));
  let session: string | null = null;
  let origin: string | null = null;
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const kind = text.charCodeAt(at);
    if (text.charCodeAt(at + 1) === 0x3d /* = */) {
      if (kind === 0x6d /* m */) break;
      const value = text.slice(at + 2, end).trim();
      if (kind === 0x73 /* s */ && session === null) session = value;
      else if (kind === 0x6f /* o */ && origin === null) origin = value;
      if (session !== null && origin !== null) break;
    }
    at = end + 1;
  }
  return { session, origin };
}
