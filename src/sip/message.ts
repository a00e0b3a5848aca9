/**
 * A SIP message (RFC 3261 §7), parsed lazily.
 *
 * `parseMessage` finds the start line and the header boundaries; a header's value is parsed the first
 * time it is asked for, then cached. Until the first change, `serialize()` returns the received bytes
 * unchanged; after a change, the message is written canonically (start line, headers in their order
 * with the names as written, one per line, Content-Length matching the body).
 *
 * Strings are byte strings (latin1: one char per byte); offsets in errors are byte offsets into the
 * message.
 */
import { CLASS, LWS, bytesOf } from './chars.js';
import { SipError } from './errors.js';
import { blankLineBreaks, collapseFolding } from './folding.js';
import { CANONICAL_NAMES, HeaderId, headerIdOf } from './header-names.js';
import { parseCSeqAt } from './cseq.js';
import { parseNameAddrAt } from './name-addr.js';
import { splitHeaderValues, topLevelCommaBytes } from './split-values.js';
import { parseCallIdAt, parseExpiresAt, parseMaxForwardsAt } from './scalar-values.js';
import { parseUri } from './uri.js';
import { parseViaAt } from './via.js';
import type { ContactList, CSeq, NameAddr, Uri, Via } from './types.js';

export interface StartLine {
  isRequest: boolean;
  method: string;
  requestUri: string;
  version: string;
  status: number;
  reason: string;
}

/** Where the parts of the message are in its bytes (found by parseMessage). */
export interface Layout {
  start: number;
  bodyStart: number;
  bodyEnd: number;
  contentLength: number | null;
  /** Two Content-Length headers with different values: the body extent is unknown (validate: 400). */
  lengthConflict: boolean;
  /** Bit `1 << id` set for each header id below 31 present at least once (see `idBit`). */
  present: number;
  /** Bit `1 << id` set for each header id below 31 present more than once. */
  repeated: number;
}

/** The bit of a header id in `Layout.present` / `Layout.repeated`; 0 for ids that have none. */
export function idBit(id: HeaderId): number {
  return id < 31 ? 1 << id : 0;
}

/** One header value with where it starts in the message (-1 once the message has been changed). */
export interface HeaderValue {
  value: string;
  offset: number;
}

interface Entry {
  name: string;
  id: HeaderId;
  value: string;
}

/**
 * A value parser on a range of a byte string and its bytes (`parseNameAddrAt`, `parseViaAt`, ...):
 * offsets in its errors are indexes into that string.
 */
type RangeParser<T> = (text: string, b: Uint8Array, start: number, end: number) => T | SipError;

const STRIDE = 5;
const CR = 0x0d;
const LF = 0x0a;

export class SipMessage {
  // Every field is `declare`d and set once in the constructor, in one order: class field
  // definitions would define each of them a second time for every message parsed.
  declare readonly isRequest: boolean;
  declare readonly status: number;
  declare version: string;
  declare reason: string;
  /** The received bytes and their latin1 string (one char per byte, same offsets). */
  declare private readonly buf: Buffer;
  declare private readonly text: string;
  declare private readonly layout: Layout;
  /** The body once replaced by setBody(); until then it is read from the received bytes on demand. */
  declare private newBody: Buffer | null;
  declare private requestUriText: string;
  declare private readonly requestMethod: string;
  /** Header index into `text` (stride 5: nameStart, nameEnd, valueStart, valueEnd, id<<1|folded), until changed. */
  declare private index: number[] | null;
  /** The headers once the message has been changed. */
  declare private entries: Entry[] | null;
  declare private uriChanged: boolean;

  // Parsed values, each computed on first use (undefined until then).
  declare private uriValue: Uri | SipError | undefined;
  declare private fromValue: NameAddr | SipError | undefined;
  declare private toValue: NameAddr | SipError | undefined;
  declare private cseqValue: CSeq | SipError | undefined;
  declare private callIdValue: string | SipError | undefined;
  declare private maxForwardsValue: number | null | SipError | undefined;
  declare private expiresValue: number | null | SipError | undefined;
  declare private topViaValue: Via | SipError | undefined;
  declare private viasValue: readonly Via[] | SipError | undefined;
  declare private contactsValue: ContactList | SipError | undefined;
  declare private routesValue: readonly NameAddr[] | SipError | undefined;
  declare private recordRoutesValue: readonly NameAddr[] | SipError | undefined;

  constructor(buf: Buffer, text: string, startLine: StartLine, index: number[], layout: Layout) {
    this.isRequest = startLine.isRequest;
    this.status = startLine.status;
    this.version = startLine.version;
    this.reason = startLine.reason;
    this.buf = buf;
    this.text = text;
    this.layout = layout;
    this.newBody = null;
    this.requestUriText = startLine.requestUri;
    this.requestMethod = startLine.method;
    this.index = index;
    this.entries = null;
    this.uriChanged = false;
    // Every cache field is created here, in one order, so that all messages share one object shape.
    this.clearParsed();
  }

  /** The request method; for a response, the method of its CSeq ('' when that is unreadable). */
  get method(): string {
    if (this.isRequest) return this.requestMethod;
    const cseq = this.cseq();
    return cseq instanceof SipError ? '' : cseq.method;
  }

  /** The Request-URI as written ('' for a response). */
  get requestUri(): string {
    return this.requestUriText;
  }

  /** The message body (after the empty line, cut to Content-Length). */
  get body(): Buffer {
    return this.newBody ?? this.buf.subarray(this.layout.bodyStart, this.layout.bodyEnd);
  }

  /** The exact bytes of this message as received (extra datagram bytes after the body cut off). */
  get raw(): Buffer {
    return this.buf.subarray(this.layout.start, this.layout.bodyEnd);
  }

  /** Whether the message was changed since it was parsed (serialize() is then canonical). */
  get modified(): boolean {
    return this.entries !== null;
  }

  /** Two Content-Length headers disagree (RFC 4475 §3.1.2.5): validate() answers 400. */
  get contentLengthConflict(): boolean {
    return this.layout.lengthConflict;
  }

  // ---- raw header access -------------------------------------------------------------------------

  /** First value of the header (folding undone), or undefined. Names are case-insensitive; compact forms work. */
  get(name: string): string | undefined {
    return this.lineValues(headerIdOf(name), name, true)[0]?.value;
  }

  /** Every header line of that name, in order. */
  getAll(name: string): string[] {
    return this.lineValues(headerIdOf(name), name, true).map((line) => line.value);
  }

  /** Every comma-separated value of that name across all its lines (RFC 3261 §7.3.1). */
  values(name: string): string[] {
    const out: string[] = [];
    for (const line of this.lineValues(headerIdOf(name), name)) {
      for (const part of splitHeaderValues(line.value)) out.push(collapseFolding(part.value));
    }
    return out;
  }

  has(name: string): boolean {
    return this.lineValues(headerIdOf(name), name).length > 0;
  }

  /** Header names in wire order, as written. */
  headerNames(): string[] {
    if (this.entries) return this.entries.map((entry) => entry.name);
    const names: string[] = [];
    const index = this.index!;
    for (let at = 0; at < index.length; at += STRIDE) names.push(this.text.slice(index[at]!, index[at + 1]!));
    return names;
  }

  /**
   * The header lines of a header, each with its offset in the message. Folded lines have their line
   * breaks replaced by spaces (same length, so offsets stay byte offsets); `forPeople` collapses each
   * fold into one space instead.
   */
  lineValues(id: HeaderId, name?: string, forPeople = false): HeaderValue[] {
    const out: HeaderValue[] = [];
    const lower = id === HeaderId.Unknown && name !== undefined ? name.toLowerCase() : '';
    if (this.entries) {
      for (const entry of this.entries) {
        if (id !== HeaderId.Unknown ? entry.id === id : entry.id === HeaderId.Unknown && entry.name.toLowerCase() === lower) {
          out.push({ value: entry.value, offset: -1 });
        }
      }
      return out;
    }
    const index = this.index!;
    const text = this.text;
    for (let at = 0; at < index.length; at += STRIDE) {
      const tag = index[at + 4]!;
      if (id !== HeaderId.Unknown) {
        if (tag >> 1 !== id) continue;
      } else if (tag >> 1 !== HeaderId.Unknown || !sameLower(text, index[at]!, index[at + 1]!, lower)) {
        continue;
      }
      const start = index[at + 2]!;
      const value = text.slice(start, index[at + 3]!);
      const folded = (tag & 1) === 1;
      out.push({ value: folded ? (forPeople ? collapseFolding(value) : blankLineBreaks(value)) : value, offset: start });
    }
    return out;
  }

  // ---- typed, lazy, cached accessors --------------------------------------------------------------

  /** The parsed Request-URI (RFC 3261 §19.1). */
  uri(): Uri | SipError {
    const cached = this.uriValue;
    if (cached !== undefined) return cached;
    const parsed = parseUri(this.requestUriText);
    const at = this.uriChanged ? -1 : this.layout.start + this.requestMethod.length + 1;
    const value = parsed instanceof SipError ? rebase(parsed, at) : parsed;
    this.uriValue = value;
    return value;
  }

  from(): NameAddr | SipError {
    const cached = this.fromValue;
    if (cached !== undefined) return cached;
    return (this.fromValue = this.required(HeaderId.From, 'From', parseNameAddrAt));
  }

  to(): NameAddr | SipError {
    const cached = this.toValue;
    if (cached !== undefined) return cached;
    return (this.toValue = this.required(HeaderId.To, 'To', parseNameAddrAt));
  }

  cseq(): CSeq | SipError {
    const cached = this.cseqValue;
    if (cached !== undefined) return cached;
    return (this.cseqValue = this.required(HeaderId.CSeq, 'CSeq', parseCSeqAt));
  }

  callId(): string | SipError {
    const cached = this.callIdValue;
    if (cached !== undefined) return cached;
    return (this.callIdValue = this.required(HeaderId.CallId, 'Call-ID', parseCallIdAt));
  }

  /** Max-Forwards (RFC 3261 §20.22): 0..255, or null when absent. */
  maxForwards(): number | null | SipError {
    const cached = this.maxForwardsValue;
    if (cached !== undefined) return cached;
    return (this.maxForwardsValue = this.single(HeaderId.MaxForwards, 'Max-Forwards', parseMaxForwardsAt, false));
  }

  /** Expires (RFC 3261 §20.19): delta-seconds, or null when absent. */
  expires(): number | null | SipError {
    const cached = this.expiresValue;
    if (cached !== undefined) return cached;
    return (this.expiresValue = this.single(HeaderId.Expires, 'Expires', parseExpiresAt, false));
  }

  /** Every Via value, top first (RFC 3261 §20.42). An empty list when there is none. */
  vias(): readonly Via[] | SipError {
    const cached = this.viasValue;
    if (cached !== undefined) return cached;
    return (this.viasValue = this.list(HeaderId.Via, parseViaAt));
  }

  /** The top Via: where a response goes (RFC 3261 §18.2.2). */
  topVia(): Via | SipError {
    const all = this.viasValue;
    if (all !== undefined) return all instanceof SipError ? all : (all[0] ?? missingVia());
    const cached = this.topViaValue;
    if (cached !== undefined) return cached;
    return (this.topViaValue = this.firstVia());
  }

  /** Contact (RFC 3261 §20.10): `'*'`, or the list (empty when absent). */
  contacts(): ContactList | SipError {
    const cached = this.contactsValue;
    if (cached !== undefined) return cached;
    const lines = this.lineValues(HeaderId.Contact);
    let value: ContactList | SipError;
    const star = lines.findIndex((line) => line.value.trim() === '*');
    if (star >= 0) {
      value = lines.length === 1 ? '*' : new SipError('SIP_BAD_CONTACT', 'Contact "*" must be the only Contact', Math.max(0, lines[star]!.offset));
    } else {
      value = this.list(HeaderId.Contact, parseNameAddrAt);
    }
    this.contactsValue = value;
    return value;
  }

  routes(): readonly NameAddr[] | SipError {
    const cached = this.routesValue;
    if (cached !== undefined) return cached;
    return (this.routesValue = this.list(HeaderId.Route, parseNameAddrAt));
  }

  recordRoutes(): readonly NameAddr[] | SipError {
    const cached = this.recordRoutesValue;
    if (cached !== undefined) return cached;
    return (this.recordRoutesValue = this.list(HeaderId.RecordRoute, parseNameAddrAt));
  }

  /** The Content-Length as received, or the body length once the message was changed. */
  contentLength(): number | null {
    if (this.newBody) return this.newBody.length;
    return this.layout.contentLength;
  }

  userAgent(): string | undefined {
    return this.get('user-agent');
  }

  // ---- changes (what a proxy does) ---------------------------------------------------------------

  /** Sets the header to one value: replaces the first line of that name (dropping the others), or appends. */
  setHeader(name: string, value: string): this {
    const entries = this.materialize();
    const id = headerIdOf(name);
    const matches = (entry: Entry) => sameHeader(entry, id, name);
    const first = entries.findIndex(matches);
    const line = makeEntry(name, id, value);
    if (first < 0) {
      entries.push(line);
    } else {
      this.entries = entries.filter((entry, i) => i === first || !matches(entry));
      this.entries[this.entries.findIndex(matches)] = line;
    }
    return this;
  }

  /** Appends a header line. */
  addHeader(name: string, value: string): this {
    this.materialize().push(makeEntry(name, headerIdOf(name), value));
    return this;
  }

  /** Inserts a header line before the first line of that name, or first of all (Via, Record-Route). */
  prependHeader(name: string, value: string): this {
    const entries = this.materialize();
    const id = headerIdOf(name);
    const first = entries.findIndex((entry) => sameHeader(entry, id, name));
    entries.splice(first < 0 ? 0 : first, 0, makeEntry(name, id, value));
    return this;
  }

  /** Removes every line of that header. Returns how many were removed. */
  removeHeader(name: string): number {
    const entries = this.materialize();
    const id = headerIdOf(name);
    this.entries = entries.filter((entry) => !sameHeader(entry, id, name));
    return entries.length - this.entries.length;
  }

  /**
   * Removes the first value of a header: the first comma-separated value of its first line (e.g. the
   * top Via, or the first Route), dropping the line when it held only that value.
   */
  removeFirst(name: string): boolean {
    const entries = this.materialize();
    const id = headerIdOf(name);
    const at = entries.findIndex((entry) => sameHeader(entry, id, name));
    if (at < 0) return false;
    const parts = splitHeaderValues(entries[at]!.value);
    if (parts.length <= 1) entries.splice(at, 1);
    else entries[at] = { ...entries[at]!, value: parts.slice(1).map((part) => part.value).join(', ') };
    return true;
  }

  setRequestUri(uri: string): this {
    if (!this.isRequest) throw new TypeError('a response has no Request-URI');
    checkLine(uri, 'Request-URI');
    if (uri.includes(' ')) throw new TypeError('a Request-URI cannot contain a space');
    this.materialize();
    this.requestUriText = uri;
    this.uriChanged = true;
    this.uriValue = undefined;
    return this;
  }

  setBody(body: Buffer, contentType?: string): this {
    this.materialize();
    this.newBody = body;
    if (contentType !== undefined) this.setHeader('Content-Type', contentType);
    return this;
  }

  /** An independent copy: changing it leaves this message as it is. */
  clone(): SipMessage {
    const copy = Object.create(SipMessage.prototype) as SipMessage;
    Object.assign(copy, this);
    copy.entries = this.entries ? this.entries.map((entry) => ({ ...entry })) : null;
    copy.clearParsed();
    return copy;
  }

  /** The bytes to send: the received bytes while unchanged, else the canonical form. */
  serialize(): Buffer {
    if (!this.entries) return this.raw;
    const lines: string[] = [
      this.isRequest ? `${this.requestMethod} ${this.requestUriText} ${this.version}` : `${this.version} ${this.status} ${this.reason}`,
    ];
    const body = this.body;
    let wroteLength = false;
    for (const entry of this.entries) {
      if (entry.id === HeaderId.ContentLength) {
        if (wroteLength) continue;
        wroteLength = true;
        lines.push(`${entry.name}: ${body.length}`);
      } else {
        lines.push(`${entry.name}: ${entry.value}`);
      }
    }
    if (!wroteLength) lines.push(`Content-Length: ${body.length}`);
    const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    return body.length === 0 ? head : Buffer.concat([head, body]);
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** `single()` for the headers every message must have (RFC 3261 §8.1.1). */
  private required<T>(id: HeaderId, name: string, parse: RangeParser<T>): T | SipError {
    return this.single(id, name, parse, true) as T | SipError;
  }

  /**
   * A header that may appear once: absent → error or null, duplicated → error, else parsed. While
   * the message is unchanged, the value is parsed where it lies in the message text, without a
   * copy; a folded value is parsed from a copy whose line breaks are spaces (same offsets).
   */
  private single<T>(id: HeaderId, name: string, parse: RangeParser<T>, required: boolean): T | null | SipError {
    const index = this.index;
    if (index === null) return this.singleEntry(id, name, parse, required);
    let first = -1;
    let count = 0;
    let second = -1;
    const bit = idBit(id);
    if (bit !== 0 && (this.layout.repeated & bit) === 0) {
      // Present at most once (the parser kept count): stop at the first line of it, if any.
      for (let at = 0; (this.layout.present & bit) !== 0 && at < index.length; at += STRIDE) {
        if (index[at + 4]! >> 1 === id) {
          first = at;
          break;
        }
      }
    } else {
      for (let at = 0; at < index.length; at += STRIDE) {
        if (index[at + 4]! >> 1 !== id) continue;
        if (first < 0) first = at;
        else if (second < 0) second = at;
        count++;
      }
    }
    if (first < 0) return required ? new SipError('SIP_MISSING_HEADER', `no ${name} header`, this.layout.start) : null;
    if (second >= 0) return new SipError('SIP_DUPLICATE_HEADER', `${name} appears ${count} times`, index[second + 2]!);
    const start = index[first + 2]!;
    const end = index[first + 3]!;
    if ((index[first + 4]! & 1) === 0) return parse(this.text, this.buf, start, end);
    const value = blankLineBreaks(this.text.slice(start, end));
    const parsed = parse(value, bytesOf(value), 0, value.length);
    return parsed instanceof SipError ? rebase(parsed, start) : parsed;
  }

  /** `single()` once the message has been changed: values come from the edited header lines. */
  private singleEntry<T>(id: HeaderId, name: string, parse: RangeParser<T>, required: boolean): T | null | SipError {
    const lines = this.lineValues(id);
    if (lines.length === 0) return required ? new SipError('SIP_MISSING_HEADER', `no ${name} header`, this.layout.start) : null;
    if (lines.length > 1) return new SipError('SIP_DUPLICATE_HEADER', `${name} appears ${lines.length} times`, Math.max(0, lines[1]!.offset));
    const value = lines[0]!.value;
    const parsed = parse(value, bytesOf(value), 0, value.length);
    return parsed instanceof SipError ? rebase(parsed, lines[0]!.offset) : parsed;
  }

  /**
   * The first value of the first Via line. The usual line (one value, or values split only by
   * commas) is parsed in place up to its first comma; anything else takes the general path, which
   * splits first, so that errors come out exactly as for `vias()`.
   */
  private firstVia(): Via | SipError {
    const index = this.index;
    if (index !== null) {
      for (let at = 0; at < index.length; at += STRIDE) {
        if (index[at + 4]! >> 1 !== HeaderId.Via) continue;
        if ((index[at + 4]! & 1) === 0) {
          const parsed = parseViaAt(this.text, this.buf, index[at + 2]!, index[at + 3]!, true);
          if (!(parsed instanceof SipError)) return parsed;
        }
        break;
      }
    }
    const line = this.lineValues(HeaderId.Via)[0];
    if (line === undefined) return missingVia();
    const part = splitHeaderValues(line.value)[0];
    if (part === undefined) return new SipError('SIP_BAD_HEADER_VALUE', 'empty Via header', Math.max(0, line.offset));
    const parsed = parseViaAt(part.value, bytesOf(part.value), 0, part.value.length);
    return parsed instanceof SipError ? rebase(parsed, line.offset < 0 ? -1 : line.offset + part.offset) : parsed;
  }

  /** A comma-separated list header across all its lines. */
  private list<T>(id: HeaderId, parse: RangeParser<T>): readonly T[] | SipError {
    const out: T[] = [];
    const index = this.index;
    if (index === null) {
      for (const line of this.lineValues(id)) {
        const error = this.listLine(line.value, bytesOf(line.value), 0, line.value.length, line.offset, id, parse, out);
        if (error !== null) return error;
      }
      return out;
    }
    const bit = idBit(id);
    if (bit !== 0 && (this.layout.present & bit) === 0) return out;
    const text = this.text;
    for (let at = 0; at < index.length; at += STRIDE) {
      const tag = index[at + 4]!;
      if (tag >> 1 !== id) continue;
      const start = index[at + 2]!;
      const end = index[at + 3]!;
      let error: SipError | null;
      if ((tag & 1) === 0) {
        error = this.listLine(text, this.buf, start, end, start, id, parse, out);
      } else {
        const value = blankLineBreaks(text.slice(start, end));
        error = this.listLine(value, bytesOf(value), 0, value.length, start, id, parse, out);
      }
      if (error !== null) return error;
    }
    return out;
  }

  /**
   * Parses every comma-separated value of the header line `text[start, end)` into `out`.
   * `offset` is where the line's value starts in the message (-1 once changed): when `text` is the
   * message itself (offset === start) errors are already message offsets; else they are moved there.
   */
  private listLine<T>(
    text: string,
    b: Uint8Array,
    start: number,
    end: number,
    offset: number,
    id: HeaderId,
    parse: RangeParser<T>,
    out: T[],
  ): SipError | null {
    let partStart = start;
    let parts = 0;
    while (true) {
      const comma = topLevelCommaBytes(b, partStart, end);
      let s = partStart;
      let e = comma;
      while (s < e && isLws(b[s]!)) s++;
      while (e > s && isLws(b[e - 1]!)) e--;
      if (comma === end && s === e && parts === 0) {
        return new SipError('SIP_BAD_HEADER_VALUE', `empty ${CANONICAL_NAMES[id]} header`, Math.max(0, offset));
      }
      parts++;
      const parsed = parse(text, b, s, e);
      if (parsed instanceof SipError) {
        // Offsets as if the value had been parsed alone, then moved to where the line is.
        if (b === this.buf) return parsed;
        return offset < 0 ? parsed.shifted(-s) : rebase(parsed.shifted(-start), offset);
      }
      out.push(parsed);
      if (comma === end) return null;
      partStart = comma + 1;
    }
  }

  /**
   * Switches to the editable representation (once) and forgets every parsed value: each change goes
   * through here, so no accessor ever answers from before the latest change.
   */
  private materialize(): Entry[] {
    this.clearParsed();
    if (this.entries) return this.entries;
    const entries: Entry[] = [];
    const index = this.index!;
    for (let at = 0; at < index.length; at += STRIDE) {
      const raw = this.text.slice(index[at + 2]!, index[at + 3]!);
      entries.push({
        name: this.text.slice(index[at]!, index[at + 1]!),
        id: (index[at + 4]! >> 1) as HeaderId,
        value: (index[at + 4]! & 1) === 1 ? collapseFolding(raw) : raw,
      });
    }
    this.entries = entries;
    this.index = null;
    return entries;
  }

  /** Forgets every parsed value (after a change, or in a copy). */
  private clearParsed(): void {
    this.uriValue = undefined;
    this.fromValue = undefined;
    this.toValue = undefined;
    this.cseqValue = undefined;
    this.callIdValue = undefined;
    this.maxForwardsValue = undefined;
    this.expiresValue = undefined;
    this.topViaValue = undefined;
    this.viasValue = undefined;
    this.contactsValue = undefined;
    this.routesValue = undefined;
    this.recordRoutesValue = undefined;
  }
}

function makeEntry(name: string, id: HeaderId, value: string): Entry {
  checkLine(name, 'header name');
  checkLine(value, `${name} value`);
  return { name, id, value };
}

/** Values set by code must not smuggle a line break (header injection). */
function checkLine(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) throw new TypeError(`${what} contains a line break`);
  }
}

function sameHeader(entry: Entry, id: HeaderId, name: string): boolean {
  return id !== HeaderId.Unknown ? entry.id === id : entry.id === HeaderId.Unknown && entry.name.toLowerCase() === name.toLowerCase();
}

function sameLower(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = text.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function missingVia(): SipError {
  return new SipError('SIP_MISSING_HEADER', 'no Via header', 0);
}

function rebase(error: SipError, offset: number): SipError {
  return offset < 0 ? error : error.shifted(offset);
}

function isLws(c: number): boolean {
  return (CLASS[c]! & LWS) !== 0;
}
