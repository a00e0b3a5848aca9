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
import { CLASS, DIGIT, TOKEN, equalsLower, skipClass, skipLws, trimLwsFrom } from './chars.js';
import { classifyHost, hostKindAt, isIpv4, isIpv6, scanHost } from './host.js';
import { parseParams } from './params.js';

const SLASH = 0x2f;
const COLON = 0x3a;

/** Parses one via-parm (a Via header value already split at top-level commas). */
export function parseVia(text: string): Via | SipError {
  const len = text.length;
  const nameStart = skipLws(text, 0, len);
  const nameEnd = skipClass(text, nameStart, len, TOKEN);
  if (nameEnd === nameStart) return bad('expected the protocol name (SIP)', nameStart);
  let i = skipLws(text, nameEnd, len);
  if (text.charCodeAt(i) !== SLASH) return bad('expected "/" after the protocol name', i);
  const versionStart = skipLws(text, i + 1, len);
  const versionEnd = skipClass(text, versionStart, len, TOKEN);
  if (versionEnd === versionStart) return bad('expected the protocol version', versionStart);
  i = skipLws(text, versionEnd, len);
  if (text.charCodeAt(i) !== SLASH) return bad('expected "/" after the protocol version', i);
  const transportStart = skipLws(text, i + 1, len);
  const transportEnd = skipClass(text, transportStart, len, TOKEN);
  if (transportEnd === transportStart) return bad('expected the transport', transportStart);

  const hostStart = skipLws(text, transportEnd, len);
  if (hostStart === len) return bad('expected the sent-by host', hostStart);
  if (hostStart === transportEnd) return bad('expected white space before the sent-by', hostStart);
  const hostEnd = scanHost(text, hostStart, len);
  if (hostEnd < 0) return bad('bad sent-by host', hostStart);
  const hostKind = hostKindAt(text, hostStart, hostEnd);

  i = hostEnd;
  let port: number | null = null;
  const colon = skipLws(text, i, len);
  if (text.charCodeAt(colon) === COLON) {
    const digitsStart = skipLws(text, colon + 1, len);
    port = decimal(text, digitsStart, len, 65535);
    if (port < 0) return bad('expected a port 0..65535', digitsStart);
    i = skipClass(text, digitsStart, len, DIGIT);
  }

  const parsed = parseParams(text, i);
  if (parsed instanceof SipError) return parsed;
  if (parsed.end !== len) return bad('unexpected character in the Via value', parsed.end);
  const params = parsed.params;

  const branch = params.get('branch');
  // A quoted branch is unquoted by parseParams: only then can it hold non-token characters.
  if (branch === null || (branch !== undefined && text.indexOf('"') !== -1 && !isToken(branch))) {
    return bad('the branch parameter must be a token', nameStart);
  }
  let received = params.get('received');
  if (received === null) return bad('the received parameter needs an address', nameStart);
  if (received !== undefined) {
    if (received.charCodeAt(0) === 0x5b) received = received.slice(1, -1);
    if (!isIpv4(received, 0, received.length) && !isIpv6(received, 0, received.length)) {
      return bad('the received parameter must be an IPv4 or IPv6 address', nameStart);
    }
  }
  const rportValue = params.get('rport');
  let rport: number | true | null = null;
  if (rportValue === null) rport = true;
  else if (rportValue !== undefined) {
    const n = decimal(rportValue, 0, rportValue.length, 65535);
    if (n < 0 || !allDigits(rportValue)) return bad('rport must be a port 0..65535', nameStart);
    rport = n;
  }
  const maddr = params.get('maddr');
  if (maddr === null || (maddr !== undefined && classifyHost(maddr, 0, maddr.length) === null)) {
    return bad('maddr must be a host', nameStart);
  }
  const ttlValue = params.get('ttl');
  let ttl: number | null = null;
  if (ttlValue !== undefined) {
    const n = ttlValue === null || ttlValue.length > 3 || !allDigits(ttlValue) ? -1 : decimal(ttlValue, 0, ttlValue.length, 255);
    if (n < 0) return bad('ttl must be 0..255', nameStart);
    ttl = n;
  }

  return {
    protocol: protocolOf(text, nameStart, nameEnd, versionStart, versionEnd),
    transport: transportOf(text, transportStart, transportEnd),
    host: hostKind === 'ipv6' ? text.slice(hostStart + 1, hostEnd - 1) : text.slice(hostStart, hostEnd),
    hostKind,
    port,
    branch: branch ?? null,
    received: received ?? null,
    rport,
    maddr: maddr ?? null,
    ttl,
    params,
    raw: trimLwsFrom(text, nameStart),
  };
}

/** The value of the 1*DIGIT run at `start` if it is non-empty and <= max; else -1. */
function decimal(text: string, start: number, end: number, max: number): number {
  let value = 0;
  let i = start;
  while (i < end && (CLASS[text.charCodeAt(i)]! & DIGIT) !== 0) {
    if (value <= max) value = value * 10 + (text.charCodeAt(i) - 48);
    i++;
  }
  return i === start || value > max ? -1 : value;
}

function allDigits(s: string): boolean {
  return s.length > 0 && skipClass(s, 0, s.length, DIGIT) === s.length;
}

function isToken(s: string): boolean {
  return s.length > 0 && skipClass(s, 0, s.length, TOKEN) === s.length;
}

function protocolOf(text: string, ns: number, ne: number, vs: number, ve: number): string {
  if (equalsLower(text, ns, ne, 'sip') && equalsLower(text, vs, ve, '2.0')) return 'SIP/2.0';
  return (text.slice(ns, ne) + '/' + text.slice(vs, ve)).toUpperCase();
}

function transportOf(text: string, start: number, end: number): string {
  if (equalsLower(text, start, end, 'udp')) return 'UDP';
  if (equalsLower(text, start, end, 'tcp')) return 'TCP';
  if (equalsLower(text, start, end, 'tls')) return 'TLS';
  if (equalsLower(text, start, end, 'ws')) return 'WS';
  if (equalsLower(text, start, end, 'wss')) return 'WSS';
  if (equalsLower(text, start, end, 'sctp')) return 'SCTP';
  return text.slice(start, end).toUpperCase();
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_VIA', message, offset);
}
