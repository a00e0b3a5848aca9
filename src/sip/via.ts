/**
 * One Via value (via-parm), RFC 3261 §20.42 and §25.1, with RFC 3581 `rport` and RFC 5118 §4.5:
 *
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *   via-ttl       = "ttl" EQUAL ttl                 (ttl = 1*3DIGIT ; 0 to 255)
 *   via-maddr     = "maddr" EQUAL host
 *   via-received  = "received" EQUAL (IPv4address / IPv6address)
 *   via-branch    = "branch" EQUAL token
 *   response-port = "rport" [EQUAL 1*DIGIT]        (RFC 3581 §3)
 *   SLASH = SWS "/" SWS     COLON = SWS ":" SWS
 *
 * RFC 5118 §4.5: `received` holds a bare IPv6 address per the ABNF, but a bracketed one is seen in
 * the wild and accepted; `received` comes out without brackets either way (the params map keeps
 * the value as written). Protocol and transport are upper-cased.
 *
 * Errors: `SIP_BAD_VIA` (offsets into `text`); malformed parameter syntax is `SIP_BAD_PARAM`.
 */
import { SipError } from './errors.js';
import type { Via } from './types.js';
import { CLASS, DIGIT, LWS, TOKEN, bytesOf, equalsLowerBytes, skipClass, skipClassBytes, skipLwsBytes } from './chars.js';
import { HOST_IPV6, HOST_KINDS, classifyHost, isIpv4, isIpv6, scanHostKind } from './host.js';
import { ParamList } from './param-list.js';
import { EMPTY_PARAM_LIST, scanParams } from './params.js';

const SLASH = 0x2f;
const COLON = 0x3a;
const SEMI = 0x3b;
const COMMA = 0x2c;

/** Parses one via-parm (a Via header value already split at top-level commas). */
export function parseVia(text: string): Via | SipError {
  return parseViaAt(text, bytesOf(text), 0, text.length);
}

/**
 * Parses the via-parm that is exactly `text[from, len)` (one Via value inside the whole message),
 * without copying it first; `b` holds the bytes of `text` (see chars.ts). Offsets in errors are
 * indexes into `text`; nothing outside `[from, len)` is read.
 *
 * `stopAtComma`: the range is a whole Via line and only its first value is wanted; a value that
 * parses up to a ',' ends there. Nothing the parser accepts can hold a comma that is not inside a
 * quoted-string, so that ',' is the one `splitHeaderValues` would split at, and the result is the
 * same as parsing the first split value. When the first value does not parse this way, the caller
 * splits and parses again to report the error exactly as before.
 */
export function parseViaAt(text: string, b: Uint8Array, from: number, len: number, stopAtComma = false): Via | SipError {
  const nameStart = skipLwsBytes(b, from, len);
  let protocol: string;
  let i: number;
  if (isSip20(b, nameStart, len)) {
    // The usual "SIP/2.0/": what the general path below finds for it, without the scans.
    protocol = 'SIP/2.0';
    i = nameStart + 7;
  } else {
    const nameEnd = skipClassBytes(b, nameStart, len, TOKEN);
    if (nameEnd === nameStart) return bad('expected the protocol name (SIP)', nameStart);
    i = skipLwsBytes(b, nameEnd, len);
    if (i >= len || b[i] !== SLASH) return bad('expected "/" after the protocol name', i);
    const versionStart = skipLwsBytes(b, i + 1, len);
    const versionEnd = skipClassBytes(b, versionStart, len, TOKEN);
    if (versionEnd === versionStart) return bad('expected the protocol version', versionStart);
    i = skipLwsBytes(b, versionEnd, len);
    if (i >= len || b[i] !== SLASH) return bad('expected "/" after the protocol version', i);
    protocol = protocolOf(text, b, nameStart, nameEnd, versionStart, versionEnd);
  }
  const transportStart = skipLwsBytes(b, i + 1, len);
  const transportEnd = skipClassBytes(b, transportStart, len, TOKEN);
  if (transportEnd === transportStart) return bad('expected the transport', transportStart);

  const hostStart = skipLwsBytes(b, transportEnd, len);
  if (hostStart === len) return bad('expected the sent-by host', hostStart);
  if (hostStart === transportEnd) return bad('expected white space before the sent-by', hostStart);
  const scanned = scanHostKind(text, b, hostStart, len);
  if (scanned < 0) return bad('bad sent-by host', hostStart);
  const hostEnd = scanned >> 2;
  const kind = scanned & 3;

  i = hostEnd;
  let port: number | null = null;
  const colon = skipLwsBytes(b, i, len);
  if (colon < len && b[colon] === COLON) {
    const digitsStart = skipLwsBytes(b, colon + 1, len);
    port = decimal(b, digitsStart, len, 65535);
    if (port < 0) return bad('expected a port 0..65535', digitsStart);
    i = skipClassBytes(b, digitsStart, len, DIGIT);
  }

  let params = EMPTY_PARAM_LIST;
  i = skipLwsBytes(b, i, len);
  if (i < len && b[i] === SEMI) {
    const list = new ParamList();
    const stop = scanParams(text, b, i, len, list);
    if (typeof stop !== 'number') return stop;
    params = list;
    i = stop;
  }
  if (i !== len && !(stopAtComma && b[i] === COMMA)) return bad('unexpected character in the Via value', i);

  // The parameters the Via defines, found in one pass (names come lower-cased from the parser).
  let branch: string | null | undefined;
  let received: string | null | undefined;
  let rportValue: string | null | undefined;
  let maddr: string | null | undefined;
  let ttlValue: string | null | undefined;
  for (let n = 0; n < params.size; n++) {
    switch (params.nameAt(n)) {
      case 'branch':
        branch = params.valueAt(n);
        break;
      case 'received':
        received = params.valueAt(n);
        break;
      case 'rport':
        rportValue = params.valueAt(n);
        break;
      case 'maddr':
        maddr = params.valueAt(n);
        break;
      case 'ttl':
        ttlValue = params.valueAt(n);
        break;
    }
  }
  // Only a value written as a quoted-string (and unquoted) can hold non-token characters; the
  // parameter parser notes whether there was one.
  if (branch === null || (branch !== undefined && params.hasQuotedValue && !isToken(branch))) {
    return bad('the branch parameter must be a token', nameStart);
  }
  if (received === null) return bad('the received parameter needs an address', nameStart);
  if (received !== undefined) {
    if (received.charCodeAt(0) === 0x5b) received = received.slice(1, -1);
    if (!isIpv4(received, 0, received.length) && !isIpv6(received, 0, received.length)) {
      return bad('the received parameter must be an IPv4 or IPv6 address', nameStart);
    }
  }
  let rport: number | true | null = null;
  if (rportValue === null) rport = true;
  else if (rportValue !== undefined) {
    const n = decimalOf(rportValue, 65535);
    if (n < 0 || !allDigits(rportValue)) return bad('rport must be a port 0..65535', nameStart);
    rport = n;
  }
  if (maddr === null || (maddr !== undefined && classifyHost(maddr, 0, maddr.length) === null)) {
    return bad('maddr must be a host', nameStart);
  }
  let ttl: number | null = null;
  if (ttlValue !== undefined) {
    const n = ttlValue === null || ttlValue.length > 3 || !allDigits(ttlValue) ? -1 : decimalOf(ttlValue, 255);
    if (n < 0) return bad('ttl must be 0..255', nameStart);
    ttl = n;
  }

  let rawEnd = i;
  while (rawEnd > nameStart && (CLASS[b[rawEnd - 1]!]! & LWS) !== 0) rawEnd--;
  return {
    protocol,
    transport: transportOf(text, b, transportStart, transportEnd),
    host: kind === HOST_IPV6 ? text.slice(hostStart + 1, hostEnd - 1) : text.slice(hostStart, hostEnd),
    hostKind: HOST_KINDS[kind]!,
    port,
    branch: branch ?? null,
    received: received ?? null,
    rport,
    maddr: maddr ?? null,
    ttl,
    params,
    raw: nameStart === 0 && rawEnd === text.length ? text : text.slice(nameStart, rawEnd),
  };
}

/** Whether `b[start, end)` starts with "SIP/2.0/" exactly. */
function isSip20(b: Uint8Array, start: number, end: number): boolean {
  return (
    end - start > 8 &&
    b[start] === 0x53 &&
    b[start + 1] === 0x49 &&
    b[start + 2] === 0x50 &&
    b[start + 3] === SLASH &&
    b[start + 4] === 0x32 &&
    b[start + 5] === 0x2e &&
    b[start + 6] === 0x30 &&
    b[start + 7] === SLASH
  );
}

/** The value of the 1*DIGIT run at `start` if it is non-empty and <= max; else -1. */
function decimal(b: Uint8Array, start: number, end: number, max: number): number {
  let value = 0;
  let i = start;
  let c: number;
  while (i < end && (c = b[i]!) >= 0x30 && c <= 0x39) {
    if (value <= max) value = value * 10 + (c - 48);
    i++;
  }
  return i === start || value > max ? -1 : value;
}

/** `decimal` on a whole parameter value. */
function decimalOf(s: string, max: number): number {
  let value = 0;
  let i = 0;
  while (i < s.length && (CLASS[s.charCodeAt(i)]! & DIGIT) !== 0) {
    if (value <= max) value = value * 10 + (s.charCodeAt(i) - 48);
    i++;
  }
  return i === 0 || value > max ? -1 : value;
}

function allDigits(s: string): boolean {
  return s.length > 0 && skipClass(s, 0, s.length, DIGIT) === s.length;
}

function isToken(s: string): boolean {
  return s.length > 0 && skipClass(s, 0, s.length, TOKEN) === s.length;
}

function protocolOf(text: string, b: Uint8Array, ns: number, ne: number, vs: number, ve: number): string {
  if (equalsLowerBytes(b, ns, ne, 'sip') && equalsLowerBytes(b, vs, ve, '2.0')) return 'SIP/2.0';
  return (text.slice(ns, ne) + '/' + text.slice(vs, ve)).toUpperCase();
}

function transportOf(text: string, b: Uint8Array, start: number, end: number): string {
  if (end - start === 3 && b[start] === 0x55 && b[start + 1] === 0x44 && b[start + 2] === 0x50) return 'UDP'; // as usually written
  if (equalsLowerBytes(b, start, end, 'udp')) return 'UDP';
  if (equalsLowerBytes(b, start, end, 'tcp')) return 'TCP';
  if (equalsLowerBytes(b, start, end, 'tls')) return 'TLS';
  if (equalsLowerBytes(b, start, end, 'ws')) return 'WS';
  if (equalsLowerBytes(b, start, end, 'wss')) return 'WSS';
  if (equalsLowerBytes(b, start, end, 'sctp')) return 'SCTP';
  return text.slice(start, end).toUpperCase();
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_VIA', message, offset);
}
