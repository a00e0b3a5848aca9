/**
 * SIP messages of the lab's simulated peers, written as text the way a user agent writes them: a
 * start line, header lines in the given order, an empty line, the body (RFC 3261 §7). The peers keep
 * their own state (they are the far ends, not the product), so plain text is all they need.
 */
import type { SipMessage } from '../sip/message.js';

export type Header = readonly [name: string, value: string];

/** The message exactly as given (the caller writes Content-Length where its tool puts it). */
export function sipText(startLine: string, headers: readonly Header[], body = ''): string {
  let text = `${startLine}\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  return `${text}\r\n${body}`;
}

/** A request with Content-Length last (and Content-Type when there is a body). */
export function request(method: string, uri: string, headers: readonly Header[], body = ''): string {
  return sipText(`${method} ${uri} SIP/2.0`, [...headers, ...bodyHeaders(body)], body);
}

export interface ResponseOptions {
  /** Added to To when the request's To has no tag (RFC 3261 §8.2.6.2). */
  readonly toTag?: string;
  readonly headers?: readonly Header[];
  readonly body?: string;
  /** Replaces the top Via (a registrar adding received / rport). */
  readonly topVia?: string;
}

/**
 * A response as a UAS makes it (§8.2.6.2): every Via in order, From, To (+ tag), Call-ID and CSeq of
 * the request, then the extra headers and the body.
 */
export function response(req: SipMessage, status: number, reason: string, options: ResponseOptions = {}): string {
  const vias = req.getAll('Via');
  if (options.topVia !== undefined && vias.length > 0) vias[0] = options.topVia;
  const to = req.get('To') ?? '';
  const tagged = options.toTag !== undefined && !/;\s*tag=/i.test(to) ? `${to};tag=${options.toTag}` : to;
  const body = options.body ?? '';
  const headers: Header[] = [
    ...vias.map((v): Header => ['Via', v]),
    ['From', req.get('From') ?? ''],
    ['To', tagged],
    ['Call-ID', req.get('Call-ID') ?? ''],
    ['CSeq', req.get('CSeq') ?? ''],
    ...(options.headers ?? []),
    ...bodyHeaders(body),
  ];
  return sipText(`SIP/2.0 ${status} ${reason}`, headers, body);
}

/** An audio offer or answer (the lab carries no media; the SDP is what a phone would send). */
export function sdp(address: string, port: number, session = '-'): string {
  return [
    'v=0',
    `o=- ${port} 1 IN IP4 ${address}`,
    `s=${session}`,
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

function bodyHeaders(body: string): Header[] {
  return body.length === 0 ? [['Content-Length', '0']] : [['Content-Type', 'application/sdp'], ['Content-Length', String(body.length)]];
}

/** The tag parameter of a From or To value, or null. */
export function tagOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const match = /;\s*tag=([^;\s]+)/i.exec(value);
  return match === null ? null : match[1]!;
}

/** The URI inside `<...>` of a name-addr, or the value itself up to its first `;` (an addr-spec). */
export function uriOf(value: string): string {
  const open = value.indexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open);
    return value.slice(open + 1, close < 0 ? undefined : close);
  }
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim();
}
