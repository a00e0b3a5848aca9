/**
 * The message parser, eager part: RFC 3261 §7 (start line, header lines with folding, the empty line,
 * the body) and §18.3 (framing by Content-Length). Everything a header value means is parsed later,
 * on demand, by SipMessage.
 *
 * Work is linear in the input: one pass over the header bytes, no regular expressions, no
 * backtracking. Input is bounded by `maxSize` (checked before anything else) and `maxHeaders`.
 */
import { Buffer } from 'node:buffer';
import { CLASS, DIGIT, TOKEN } from './chars.js';
import { methodAt } from './cseq.js';
import { SipError } from './errors.js';
import {
  COMPACT_IDS,
  FIRST_CANDIDATES,
  HeaderId,
  NAME_LENGTHS,
  NEXT_CANDIDATES,
  PACKED_CHARS,
  PACKED_MAX_LENGTH,
  PACKED_NAMES,
  candidateKeyOf,
  identifyHeader,
} from './header-names.js';
import { SipMessage, idBit, type StartLine } from './message.js';

export interface ParseOptions {
  /** Largest message accepted, in bytes. Default 65,535 (the largest UDP payload). */
  maxSize?: number;
  /** Most header lines accepted. Default 256. */
  maxHeaders?: number;
  /**
   * `datagram` (UDP, default): the datagram is the message; a missing Content-Length means the body
   * runs to its end, extra bytes after the body are cut (§18.3).
   * `stream` (TCP, TLS, already framed): Content-Length is required (§18.3, §20.14).
   */
  framing?: 'datagram' | 'stream';
}

export const DEFAULT_MAX_SIZE = 65_535;
export const DEFAULT_MAX_HEADERS = 256;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

/** Header index stride: nameStart, nameEnd, valueStart, valueEnd, id << 1 | folded. */
export const STRIDE = 5;

export function parseMessage(data: Uint8Array | string, options?: ParseOptions): SipMessage | SipError {
  const maxSize = options?.maxSize ?? DEFAULT_MAX_SIZE;
  const maxHeaders = options?.maxHeaders ?? DEFAULT_MAX_HEADERS;
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : toBuffer(data);
  if (buf.length > maxSize) {
    return new SipError('SIP_TOO_LARGE', `message is ${buf.length} bytes, the limit is ${maxSize}`, maxSize);
  }
  const text = latin1(buf);
  const end = text.length;

  // §7.5: "implementations processing SIP messages over stream-oriented transports MUST ignore any
  // CRLF appearing before the start-line" — harmless on datagrams too (keep-alive remnants).
  let pos = 0;
  while (pos < end && (text.charCodeAt(pos) === CR || text.charCodeAt(pos) === LF)) pos++;
  if (pos === end || isBlank(text, pos, end)) return new SipError('SIP_EMPTY', 'no SIP message: empty or only whitespace', pos);
  const start = pos;

  let lineEnd = text.indexOf('\n', pos);
  if (lineEnd < 0) lineEnd = end;
  const startLineEnd = lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
  const startLine = parseStartLine(text, buf, pos, startLineEnd);
  if (startLine instanceof SipError) return startLine;
  pos = lineEnd + 1;

  // Header lines. An empty line ends them; a line starting with SP/HTAB continues the previous one.
  const cls = CLASS; // locals: see chars.ts
  const token = TOKEN;
  const index: number[] = [];
  let headerCount = 0;
  let bodyStart = -1;
  let lengthHeaders = 0;
  let present = 0;
  let repeated = 0;
  while (pos < end) {
    lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = end;
    let contentEnd = lineEnd;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) contentEnd--;
    if (contentEnd === pos) {
      bodyStart = lineEnd + 1;
      break;
    }
    const first = buf[pos]!;
    if (first === SP || first === HTAB) {
      // §7.3.1: header folding, "the field value can be extended over multiple lines by preceding
      // each extra line with at least one space or horizontal tab".
      if (headerCount === 0) return new SipError('SIP_BAD_HEADER', 'continuation line before any header', pos);
      const at = (headerCount - 1) * STRIDE;
      index[at + 3] = trimEnd(text, index[at + 2]!, contentEnd);
      index[at + 4] = index[at + 4]! | 1;
    } else {
      if (headerCount === maxHeaders) {
        return new SipError('SIP_TOO_MANY_HEADERS', `more than ${maxHeaders} header lines`, pos);
      }
      // The name: token characters, packed as they are checked (see header-names.ts).
      let nameEnd = pos;
      let p0 = 0;
      let p1 = 0;
      for (; nameEnd < contentEnd; nameEnd++) {
        const k = buf[nameEnd]!;
        if ((cls[k]! & token) === 0) break;
        const n = nameEnd - pos;
        if (n < PACKED_CHARS) p0 = p0 * 128 + (k | 0x20);
        else if (n < PACKED_MAX_LENGTH) p1 = p1 * 128 + (k | 0x20);
      }
      let colon = nameEnd;
      let c = colon < contentEnd ? buf[colon]! : 0;
      while (c === SP || c === HTAB) c = ++colon < contentEnd ? buf[colon]! : 0;
      if (nameEnd === pos || c !== COLON) {
        return new SipError('SIP_BAD_HEADER', nameEnd === pos ? 'header line without a name' : 'header line without a colon', nameEnd === pos ? pos : colon);
      }
      let valueStart = colon + 1;
      while (valueStart < contentEnd && ((c = buf[valueStart]!) === SP || c === HTAB)) valueStart++;
      let valueEnd = contentEnd;
      while (valueEnd > valueStart && ((c = buf[valueEnd - 1]!) === SP || c === HTAB || c === CR)) valueEnd--;
      const length = nameEnd - pos;
      let id: number = HeaderId.Unknown;
      if (length === 1) {
        id = COMPACT_IDS[first | 0x20]!;
      } else if (length <= PACKED_MAX_LENGTH) {
        for (let k = FIRST_CANDIDATES[candidateKeyOf(length, first)]!; k !== 0; k = NEXT_CANDIDATES[k]!) {
          if (PACKED_NAMES[2 * k] === p0 && PACKED_NAMES[2 * k + 1] === p1 && NAME_LENGTHS[k] === length) {
            id = k;
            break;
          }
        }
      } else {
        id = identifyHeader(text, pos, nameEnd);
      }
      if (id === HeaderId.ContentLength) lengthHeaders++;
      const bit = idBit(id);
      repeated |= present & bit;
      present |= bit;
      index.push(pos, nameEnd, valueStart, valueEnd, id << 1);
      headerCount++;
    }
    pos = lineEnd + 1;
  }

  // Content-Length (§20.14). Duplicates that agree are tolerated; conflicting ones are recorded
  // and reported by validate() (RFC 4475 §3.1.2.5 expects a 400, not a parse failure).
  let contentLength = -1;
  let lengthConflict = false;
  for (let at = 0; lengthHeaders > 0 && at < index.length; at += STRIDE) {
    if (index[at + 4]! >> 1 !== HeaderId.ContentLength) continue;
    lengthHeaders--;
    const value = readLength(text, index[at + 2]!, index[at + 3]!);
    if (value instanceof SipError) return value;
    if (contentLength >= 0 && value !== contentLength) lengthConflict = true;
    else contentLength = value;
  }

  const framing = options?.framing ?? 'datagram';
  if (bodyStart < 0) {
    // No empty line. On a stream the framer guarantees one; a datagram's end ends its headers.
    if (framing === 'stream') return new SipError('SIP_HEADERS_UNTERMINATED', 'no empty line after the headers', end);
    bodyStart = end;
  }
  let bodyEnd = end;
  if (framing === 'stream' && contentLength < 0) {
    return new SipError('SIP_BAD_CONTENT_LENGTH', 'Content-Length is required on a stream transport (RFC 3261 §18.3)', bodyStart);
  }
  if (contentLength >= 0 && !lengthConflict) {
    // §18.3: "If the transport packet ends before the end of the message body, this is considered an
    // error." Extra bytes after the body "MUST be discarded".
    if (bodyStart + contentLength > end) {
      return new SipError('SIP_BODY_TRUNCATED', `Content-Length is ${contentLength} but only ${end - bodyStart} body bytes arrived`, end);
    }
    bodyEnd = bodyStart + contentLength;
  }
  const layout = { start, bodyStart, bodyEnd, contentLength: contentLength >= 0 ? contentLength : null, lengthConflict, present, repeated };
  return new SipMessage(buf, text, startLine, index, layout);
}

function parseStartLine(text: string, b: Uint8Array, start: number, end: number): StartLine | SipError {
  const firstSpace = text.indexOf(' ', start);
  if (firstSpace < 0 || firstSpace >= end) {
    return looksLikeSip(text, start, end)
      ? new SipError('SIP_BAD_START_LINE', 'start line has no space-separated parts', start)
      : new SipError('SIP_NOT_SIP', 'not a SIP message', start);
  }
  if (isSipVersion(b, start, firstSpace)) return parseStatusLine(text, b, start, firstSpace, end);

  // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1), exactly one SP each.
  for (let i = start; i < firstSpace; i++) {
    if ((CLASS[b[i]!]! & TOKEN) === 0) {
      return looksLikeSip(text, start, end)
        ? new SipError('SIP_BAD_METHOD', 'method is not a token', i)
        : new SipError('SIP_NOT_SIP', 'not a SIP message', start);
    }
  }
  const uriStart = firstSpace + 1;
  const secondSpace = text.indexOf(' ', uriStart);
  if (secondSpace < 0 || secondSpace >= end) {
    return looksLikeSip(text, start, end)
      ? new SipError('SIP_BAD_START_LINE', 'request line needs a method, a Request-URI and a SIP version', end)
      : new SipError('SIP_NOT_SIP', 'not a SIP message', start);
  }
  if (secondSpace === uriStart) return new SipError('SIP_BAD_START_LINE', 'two spaces after the method', secondSpace);
  for (let i = uriStart; i < secondSpace; i++) {
    const c = b[i]!;
    if (c <= SP || c >= 0x7f) return new SipError('SIP_BAD_START_LINE', 'control or non-ASCII byte in the Request-URI', i);
  }
  const versionStart = secondSpace + 1;
  if (!isSipVersion(b, versionStart, end)) {
    const extra = text.indexOf(' ', versionStart);
    return extra >= 0 && extra < end
      ? new SipError('SIP_BAD_START_LINE', 'request line has more than three parts (space in the Request-URI, or trailing spaces)', extra)
      : new SipError('SIP_BAD_VERSION', 'request line does not end with a SIP version', versionStart);
  }
  return {
    isRequest: true,
    method: methodAt(text, b, start, firstSpace),
    requestUri: text.slice(uriStart, secondSpace),
    version: versionAt(text, b, versionStart, end),
    status: 0,
    reason: '',
  };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2). */
function parseStatusLine(text: string, b: Uint8Array, start: number, versionEnd: number, end: number): StartLine | SipError {
  const codeStart = versionEnd + 1;
  let codeEnd = codeStart;
  while (codeEnd < end && (CLASS[b[codeEnd]!]! & DIGIT) !== 0) codeEnd++;
  if (codeEnd - codeStart !== 3 || (codeEnd < end && b[codeEnd]! !== SP)) {
    return new SipError('SIP_BAD_STATUS', 'status code must be three digits', codeStart);
  }
  const status = (b[codeStart]! - 48) * 100 + (b[codeStart + 1]! - 48) * 10 + (b[codeStart + 2]! - 48);
  if (status < 100) return new SipError('SIP_BAD_STATUS', 'status code below 100', codeStart);
  // The reason phrase is free text (UTF-8 allowed, §25.1); "SIP/2.0 100" without it is tolerated.
  for (let i = codeEnd + 1; i < end; i++) {
    const c = b[i]!;
    if (c < SP && c !== HTAB) return new SipError('SIP_BAD_STATUS', 'control character in the reason phrase', i);
  }
  return {
    isRequest: false,
    method: '',
    requestUri: '',
    version: versionAt(text, b, start, versionEnd),
    status,
    reason: codeEnd < end ? text.slice(codeEnd + 1, end) : '',
  };
}

/** The SIP-Version as written; the usual "SIP/2.0" as a constant string (no copy). */
function versionAt(text: string, b: Uint8Array, start: number, end: number): string {
  const usual =
    end - start === 7 && b[start] === 0x53 && b[start + 1] === 0x49 && b[start + 2] === 0x50 && b[start + 4] === 0x32 && b[start + 6] === 0x30;
  return usual ? 'SIP/2.0' : text.slice(start, end);
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (case-insensitive literal, §7.1). */
function isSipVersion(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 7) return false;
  if ((b[start]! | 0x20) !== 0x73 || (b[start + 1]! | 0x20) !== 0x69) return false;
  if ((b[start + 2]! | 0x20) !== 0x70 || b[start + 3]! !== 0x2f) return false;
  let i = start + 4;
  const major = i;
  while (i < end && (CLASS[b[i]!]! & DIGIT) !== 0) i++;
  if (i === major || i >= end || b[i]! !== 0x2e) return false;
  const minor = ++i;
  while (i < end && (CLASS[b[i]!]! & DIGIT) !== 0) i++;
  return i > minor && i === end;
}

/**
 * Whether a bad first line still looks like SIP, so that the error can be specific: it mentions
 * "SIP/", or it is a token followed by a URI with a scheme ("INVITE sip:100@host").
 */
function looksLikeSip(text: string, start: number, end: number): boolean {
  const at = text.indexOf('SIP/', start);
  if (at >= 0 && at < end) return true;
  let i = start;
  while (i < end && (CLASS[text.charCodeAt(i)]! & TOKEN) !== 0) i++;
  if (i === start || i >= end || text.charCodeAt(i) !== SP) return false;
  const colon = text.indexOf(':', i);
  return colon > i + 1 && colon < end && colon - i <= 12;
}

function readLength(text: string, start: number, end: number): number | SipError {
  if (start === end) return new SipError('SIP_BAD_CONTENT_LENGTH', 'empty Content-Length', start);
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return new SipError('SIP_BAD_CONTENT_LENGTH', 'Content-Length is not a non-negative number', i);
    value = value * 10 + (c - 0x30);
    if (value > 0x7fffffff) return new SipError('SIP_BAD_CONTENT_LENGTH', 'Content-Length is too large', start);
  }
  return value;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== SP && c !== HTAB && c !== CR) break;
    end--;
  }
  return end;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== SP && c !== HTAB && c !== CR && c !== LF) return false;
  }
  return true;
}

/** Node's Buffer decodes latin1 without the argument checks of `toString` through this method. */
interface Latin1Slicer {
  latin1Slice?: (start: number, end: number) => string;
}

/** The bytes as a byte string (one char per byte). */
function latin1(buf: Buffer): string {
  const slicer = buf as unknown as Latin1Slicer;
  return typeof slicer.latin1Slice === 'function' ? slicer.latin1Slice(0, buf.length) : buf.toString('latin1');
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
