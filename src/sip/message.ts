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
import { SipError } from './errors.js';
import { CANONICAL_NAMES, HeaderId, headerIdOf } from './header-names.js';
import { parseCSeq } from './cseq.js';
import { parseNameAddr } from './name-addr.js';
import { splitHeaderValues } from './split-values.js';
import { parseUri } from './uri.js';
import { parseVia } from './via.js';
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

const STRIDE = 5;
/** Cache slot for the parsed Request-URI (after the header ids). */
const URI_SLOT = 64;
/** Cache slot for the top Via alone (a proxy often needs only that one). */
const TOP_VIA_SLOT = 65;
const CR = 0x0d;
const LF = 0x0a;

export class SipMessage {
  readonly isRequest: boolean;
  readonly status: number;
  version: string;
  reason: string;
  /** The body once replaced by setBody(); until then it is read from the received bytes on demand. */
  private newBody: Buffer | null = null;

  private requestUriText: string;
  private readonly requestMethod: string;
  /** Header index into `text` (stride 5: nameStart, nameEnd, valueStart, valueEnd, id<<1|folded), until changed. */
  private index: number[] | null;
  /** The headers once the message has been changed. */
  private entries: Entry[] | null = null;
  private cache: unknown[] = [];

  constructor(
    private readonly buf: Buffer,
    private readonly text: string,
    startLine: StartLine,
    index: number[],
    private readonly layout: Layout,
  ) {
    this.isRequest = startLine.isRequest;
    this.requestMethod = startLine.method;
    this.requestUriText = startLine.requestUri;
    this.version = startLine.version;
    this.status = startLine.status;
    this.reason = startLine.reason;
    this.index = index;
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

  private uriChanged = false;

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
    const cached = this.cache[URI_SLOT] as Uri | SipError | undefined;
    if (cached !== undefined) return cached;
    const parsed = parseUri(this.requestUriText);
    const at = this.uriChanged ? -1 : this.layout.start + this.requestMethod.length + 1;
    const value = parsed instanceof SipError ? rebase(parsed, at) : parsed;
    this.cache[URI_SLOT] = value;
    return value;
  }

  from(): NameAddr | SipError {
    return this.single(HeaderId.From, 'From', parseNameAddr, true) as NameAddr | SipError;
  }

  to(): NameAddr | SipError {
    return this.single(HeaderId.To, 'To', parseNameAddr, true) as NameAddr | SipError;
  }

  cseq(): CSeq | SipError {
    return this.single(HeaderId.CSeq, 'CSeq', parseCSeq, true) as CSeq | SipError;
  }

  callId(): string | SipError {
    return this.single(HeaderId.CallId, 'Call-ID', parseCallId, true) as string | SipError;
  }

  /** Max-Forwards (RFC 3261 §20.22): 0..255, or null when absent. */
  maxForwards(): number | null | SipError {
    return this.single(HeaderId.MaxForwards, 'Max-Forwards', parseMaxForwards, false) as number | null | SipError;
  }

  /** Expires (RFC 3261 §20.19): delta-seconds, or null when absent. */
  expires(): number | null | SipError {
    return this.single(HeaderId.Expires, 'Expires', parseExpires, false) as number | null | SipError;
  }

  /** Every Via value, top first (RFC 3261 §20.42). An empty list when there is none. */
  vias(): readonly Via[] | SipError {
    return this.list(HeaderId.Via, parseVia);
  }

  /** The top Via: where a response goes (RFC 3261 §18.2.2). */
  topVia(): Via | SipError {
    const all = this.cache[HeaderId.Via] as readonly Via[] | SipError | undefined;
    if (all !== undefined) return all instanceof SipError ? all : (all[0] ?? missingVia());
    const cached = this.cache[TOP_VIA_SLOT] as Via | SipError | undefined;
    if (cached !== undefined) return cached;
    const line = this.lineValues(HeaderId.Via)[0];
    const part = line === undefined ? undefined : splitHeaderValues(line.value)[0];
    let value: Via | SipError;
    if (line === undefined) value = missingVia();
    else if (part === undefined) value = new SipError('SIP_BAD_HEADER_VALUE', 'empty Via header', Math.max(0, line.offset));
    else {
      const parsed = parseVia(part.value);
      value = parsed instanceof SipError ? rebase(parsed, line.offset < 0 ? -1 : line.offset + part.offset) : parsed;
    }
    this.cache[TOP_VIA_SLOT] = value;
    return value;
  }

  /** Contact (RFC 3261 §20.10): `'*'`, or the list (empty when absent). */
  contacts(): ContactList | SipError {
    const cached = this.cache[HeaderId.Contact] as ContactList | SipError | undefined;
    if (cached !== undefined) return cached;
    const lines = this.lineValues(HeaderId.Contact);
    let value: ContactList | SipError;
    const star = lines.findIndex((line) => line.value.trim() === '*');
    if (star >= 0) {
      value = lines.length === 1 ? '*' : new SipError('SIP_BAD_CONTACT', 'Contact "*" must be the only Contact', Math.max(0, lines[star]!.offset));
    } else {
      value = this.list(HeaderId.Contact, parseNameAddr);
    }
    this.cache[HeaderId.Contact] = value;
    return value;
  }

  routes(): readonly NameAddr[] | SipError {
    return this.list(HeaderId.Route, parseNameAddr);
  }

  recordRoutes(): readonly NameAddr[] | SipError {
    return this.list(HeaderId.RecordRoute, parseNameAddr);
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
    this.cache[URI_SLOT] = undefined;
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
    copy.cache = [];
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

  /** A header that may appear once: absent → error or null, duplicated → error, else parsed and cached. */
  private single<T>(id: HeaderId, name: string, parse: (text: string) => T | SipError, required: boolean): T | null | SipError {
    const cached = this.cache[id] as T | null | SipError | undefined;
    if (cached !== undefined) return cached;
    const lines = this.lineValues(id);
    let value: T | null | SipError;
    if (lines.length === 0) {
      value = required ? new SipError('SIP_MISSING_HEADER', `no ${name} header`, this.layout.start) : null;
    } else if (lines.length > 1) {
      value = new SipError('SIP_DUPLICATE_HEADER', `${name} appears ${lines.length} times`, Math.max(0, lines[1]!.offset));
    } else {
      const parsed = parse(lines[0]!.value);
      value = parsed instanceof SipError ? rebase(parsed, lines[0]!.offset) : parsed;
    }
    this.cache[id] = value;
    return value;
  }

  /** A comma-separated list header across all its lines. */
  private list<T>(id: HeaderId, parse: (text: string) => T | SipError): readonly T[] | SipError {
    const cached = this.cache[id] as readonly T[] | SipError | undefined;
    if (cached !== undefined) return cached;
    const out: T[] = [];
    let value: readonly T[] | SipError = out;
    for (const line of this.lineValues(id)) {
      const parts = splitHeaderValues(line.value);
      if (parts.length === 0) {
        value = new SipError('SIP_BAD_HEADER_VALUE', `empty ${CANONICAL_NAMES[id]} header`, Math.max(0, line.offset));
        break;
      }
      for (const part of parts) {
        const parsed = parse(part.value);
        if (parsed instanceof SipError) {
          value = rebase(parsed, line.offset < 0 ? -1 : line.offset + part.offset);
          break;
        }
        out.push(parsed);
      }
      if (value !== out) break;
    }
    this.cache[id] = value;
    return value;
  }

  /** Switches to the editable representation (once). */
  private materialize(): Entry[] {
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
    this.cache = [];
    return entries;
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

/** Line breaks of a folded value become spaces: the same length, so offsets still hold. */
function blankLineBreaks(value: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === CR || c === LF) {
      parts.push(value.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(value.slice(from));
  return parts.join(' ');
}

/**
 * Folding undone for people: each line break and the white space around it become one space.
 * Linear: the pieces between folds are sliced once and joined once (no string rebuilt per fold).
 */
function collapseFolding(value: string): string {
  const len = value.length;
  let hasBreak = false;
  for (let i = 0; i < len && !hasBreak; i++) {
    const c = value.charCodeAt(i);
    hasBreak = c === CR || c === LF;
  }
  if (!hasBreak) return len > 0 && isWsp(value.charCodeAt(len - 1)) ? value.trimEnd() : value;
  const parts: string[] = [];
  let segStart = 0;
  let i = 0;
  while (i < len) {
    const c = value.charCodeAt(i);
    if (c !== CR && c !== LF) {
      i++;
      continue;
    }
    let segEnd = i;
    while (segEnd > segStart && isWsp(value.charCodeAt(segEnd - 1))) segEnd--;
    if (segEnd > segStart) parts.push(value.slice(segStart, segEnd));
    while (i < len && (isWsp(value.charCodeAt(i)) || value.charCodeAt(i) === CR || value.charCodeAt(i) === LF)) i++;
    segStart = i;
  }
  if (segStart < len) parts.push(value.slice(segStart));
  return parts.join(' ').trim();
}

function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function missingVia(): SipError {
  return new SipError('SIP_MISSING_HEADER', 'no Via header', 0);
}

function rebase(error: SipError, offset: number): SipError {
  return offset < 0 ? error : error.shifted(offset);
}

/** Call-ID = word [ "@" word ] (RFC 3261 §25.1): visible ASCII, no white space. */
function parseCallId(text: string): string | SipError {
  if (text.length === 0) return new SipError('SIP_BAD_CALL_ID', 'empty Call-ID', 0);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return new SipError('SIP_BAD_CALL_ID', 'Call-ID contains white space or a non-ASCII byte', i);
  }
  return text;
}

function parseDigits(text: string, max: number): number | null {
  if (text.length === 0 || text.length > 12) return null;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    value = value * 10 + (c - 0x30);
  }
  return value <= max ? value : null;
}

/** Max-Forwards = 1*DIGIT, 0..255 (RFC 3261 §20.22, §8.1.1.6). */
function parseMaxForwards(text: string): number | SipError {
  return parseDigits(text, 255) ?? new SipError('SIP_BAD_MAX_FORWARDS', 'Max-Forwards must be a number from 0 to 255', 0);
}

/** Expires = delta-seconds (RFC 3261 §20.19, §25.1: up to 2**32-1). */
function parseExpires(text: string): number | SipError {
  return parseDigits(text, 0xffffffff) ?? new SipError('SIP_BAD_EXPIRES', 'Expires must be a number of seconds up to 4294967295', 0);
}
