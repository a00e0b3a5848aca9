/**
 * Test helpers: captured SIP messages built from text, for analyzer units (the capture writer builds
 * whole pcap files for the CLI tests). Addresses follow RFC 5737: the provider 203.0.113.10, the phone
 * 192.0.2.20, scanners in 198.51.100.0/24.
 */
import type { CapturedMessage } from './capture/captured-message.js';

export const PROVIDER = '203.0.113.10';
export const PHONE = '192.0.2.20';
export const SCANNER = '198.51.100.66';
export const DOMAIN = 'voip.example.test';

let clock = Date.UTC(2026, 10, 27, 22, 0, 0);
let frame = 0;

export function resetKit(): void {
  clock = Date.UTC(2026, 10, 27, 22, 0, 0);
  frame = 0;
}

export function captured(text: string, src: string, dst: string, options: { srcPort?: number; dstPort?: number; at?: number; file?: string } = {}): CapturedMessage {
  clock += 10;
  return {
    file: options.file ?? 'test.pcap',
    frame: ++frame,
    time: options.at ?? clock,
    src: { address: src, port: options.srcPort ?? 5060 },
    dst: { address: dst, port: options.dstPort ?? 5060 },
    transport: 'udp',
    bytes: Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1'),
  };
}

interface Headers {
  readonly callId: string;
  readonly cseq?: number;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly extra?: string;
  readonly from?: string;
  readonly to?: string;
}

export function register(phone: string, h: Headers & { user?: string }): string {
  const user = h.user ?? 'alice';
  return `REGISTER sip:${DOMAIN} SIP/2.0
Via: SIP/2.0/UDP ${phone}:5060;branch=z9hG4bK-r${h.cseq ?? 1}-${h.callId};rport
Max-Forwards: 70
From: <sip:${user}@${DOMAIN}>;tag=${h.fromTag ?? 'ph1'}
To: <sip:${user}@${DOMAIN}>
Call-ID: ${h.callId}
CSeq: ${h.cseq ?? 1} REGISTER
Contact: <sip:${user}@${phone}:5060>;expires=600
User-Agent: baresip v3.10.1
Content-Length: 0

`;
}

export function invite(target: string, from: string, h: Headers & { ua?: string }): string {
  return `INVITE sip:${h.to ?? 'alice'}@${target}:5060 SIP/2.0
Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bK-i${h.cseq ?? 1}-${h.callId}
Max-Forwards: 70
${h.extra ?? ''}From: ${h.from ?? `"Bob" <sip:bob@${DOMAIN}>`};tag=${h.fromTag ?? 'c1'}
To: <sip:${h.to ?? 'alice'}@${DOMAIN}>${h.toTag === undefined ? '' : `;tag=${h.toTag}`}
Call-ID: ${h.callId}
CSeq: ${h.cseq ?? 1} INVITE
Contact: <sip:bob@${from}:5060>
${h.ua === undefined ? '' : `User-Agent: ${h.ua}\n`}Content-Length: 0

`;
}

/** The SIPVicious svmap INVITE (as in test/fixtures/scanners/sipvicious-svmap-invite.sip). */
export function svmapInvite(target: string, scanner: string, callId: string): string {
  return `INVITE sip:100@${target} SIP/2.0
Via: SIP/2.0/UDP ${scanner}:5060;branch=z9hG4bK-${callId};rport
Max-Forwards: 70
To: "sipvicious"<sip:100@1.1.1.1>
From: "sipvicious"<sip:100@1.1.1.1>;tag=6330303030323238
User-Agent: friendly-scanner
Call-ID: ${callId}
Contact: sip:100@${scanner}:5060
CSeq: 1 INVITE
Accept: application/sdp
Content-Length: 0

`;
}

export function options(target: string, from: string, callId: string, ua = 'friendly-scanner'): string {
  return `OPTIONS sip:100@${target} SIP/2.0
Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bK-o-${callId}
Max-Forwards: 70
From: "sipvicious"<sip:100@1.1.1.1>;tag=abc
To: "sipvicious"<sip:100@1.1.1.1>
Call-ID: ${callId}
CSeq: 1 OPTIONS
User-Agent: ${ua}
Content-Length: 0

`;
}

/** A response to `request` text (Via, From, To, Call-ID, CSeq copied; a To tag added). */
export function response(request: string, status: number, reason: string, toTag = 'resp1'): string {
  const keep = request.split('\n').filter((line) => /^(Via|From|To|Call-ID|CSeq):/i.test(line));
  const lines = keep.map((line) => (/^To:/i.test(line) && !line.includes('tag=') && status > 100 ? `${line};tag=${toTag}` : line));
  return `SIP/2.0 ${status} ${reason}\n${lines.join('\n')}\nContent-Length: 0\n\n`;
}
