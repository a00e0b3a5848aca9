/**
 * Toll-fraud dialers: software that tries to place paid international calls through any SIP device
 * that answers. Their fingerprints are the facts (bench/corpus/README.md); the other headers follow
 * each SDK's usual shape. PortSIP SDK (SDP `s=portsip.com`, `User-Agent: PortSIP VoIP SDK …`),
 * VaxSIPUserAgent, sipcli, and a dialer posing as `Cisco-SIPGateway` that dials 00972 59… (a mobile
 * range often seen in toll-fraud attempts).
 */
import { sipText, type Header } from '../sip-text.js';
import type { ScannerContext, ScannerFamily } from './scanner-family.js';

function audio(ctx: ScannerContext, origin: string, session: string): string {
  const { self, random } = ctx;
  return [
    'v=0',
    `o=${origin} ${random.int(100, 999999)} 1 IN IP4 ${self.address}`,
    `s=${session}`,
    `c=IN IP4 ${self.address}`,
    't=0 0',
    `m=audio ${random.int(7000, 31000)} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

function portsip(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const dial = '9011441234567890';
  const body = audio(ctx, '-', 'portsip.com');
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=z9hG4bK-d87543-${random.hex(16)}-1--d87543-;rport`],
    ['Max-Forwards', '70'],
    ['Contact', `<sip:9001@${self.address}:${self.port};rinstance=${random.hex(16)}>`],
    ['To', `<sip:${dial}@${target.address}:${target.port}>`],
    ['From', `<sip:9001@${target.address}:${target.port}>;tag=${random.hex(8)}`],
    ['Call-ID', Buffer.from(random.hex(32)).toString('base64url')],
    ['CSeq', '1 INVITE'],
    ['Allow', 'INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE, UPDATE, PRACK'],
    ['Content-Type', 'application/sdp'],
    ['User-Agent', 'PortSIP VoIP SDK 11.2.4'],
    ['Content-Length', String(body.length)],
  ];
  return sipText(`INVITE sip:${dial}@${target.address}:${target.port} SIP/2.0`, headers, body);
}

function vaxsip(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const dial = '0046812345678';
  const body = audio(ctx, 'VaxSIPUserAgent', 'VaxSIPUserAgent');
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=z9hG4bK-d8754z-${random.hex(16)}-1---d8754z-;rport`],
    ['Max-Forwards', '70'],
    ['Contact', `<sip:1000@${self.address}:${self.port}>`],
    ['To', `<sip:${dial}@${target.address}>`],
    ['From', `"1000"<sip:1000@${target.address}>;tag=${random.hex(8)}`],
    ['Call-ID', `${Buffer.from(random.hex(32)).toString('base64url')}.`],
    ['CSeq', '1 INVITE'],
    ['Content-Type', 'application/sdp'],
    ['User-Agent', 'VaxSIPUserAgent/3.1'],
    ['Content-Length', String(body.length)],
  ];
  return sipText(`INVITE sip:${dial}@${target.address} SIP/2.0`, headers, body);
}

function sipcli(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const a = random.int(1000000000, 2147483647);
  const b = random.int(1000000000, 2147483647);
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=z9hG4bK${a};rport`],
    ['From', `"101" <sip:101@${target.address}>;tag=${b}`],
    ['To', `<sip:101@${target.address}>`],
    ['Call-ID', `${a}-${b}@${self.address}`],
    ['CSeq', '1 INVITE'],
    ['Contact', `<sip:101@${self.address}:${self.port}>`],
    ['Max-Forwards', '70'],
    ['User-Agent', 'sipcli/v1.8'],
    ['Content-Length', '0'],
  ];
  return sipText(`INVITE sip:101@${target.address} SIP/2.0`, headers);
}

function ciscoPose(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const dial = '00972595123456';
  const body = audio(ctx, 'CiscoSystemsSIP-GW-UserAgent', 'SIP Call');
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=z9hG4bK-${random.hex(10)};rport`],
    ['Max-Forwards', '70'],
    ['From', `"1001" <sip:1001@${target.address}>;tag=${random.hex(8)}`],
    ['To', `<sip:${dial}@${target.address}>`],
    ['Call-ID', random.hex(32)],
    ['CSeq', `${random.int(100, 200)} INVITE`],
    ['Contact', `<sip:1001@${self.address}:${self.port}>`],
    ['User-Agent', 'Cisco-SIPGateway/IOS-12.x'],
    ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'],
    ['Content-Type', 'application/sdp'],
    ['Content-Length', String(body.length)],
  ];
  return sipText(`INVITE sip:${dial}@${target.address} SIP/2.0`, headers, body);
}

const DIALERS = [
  { make: ciscoPose, what: 'a dialer posing as Cisco-SIPGateway calls 00972 59… (a toll-fraud test call)' },
  { make: portsip, what: 'a PortSIP SDK dialer calls +44 … through 9011 (international toll fraud)' },
  { make: sipcli, what: 'sipcli calls extension 101' },
  { make: vaxsip, what: 'a VaxSIPUserAgent dialer calls 0046 8… (Sweden)' },
] as const;

export const dialer: ScannerFamily = {
  id: 'dialer',
  name: 'toll-fraud dialers',
  summary: 'try paid international calls (PortSIP, VaxSIP, sipcli …)',
  port: 5063,
  firstMs: 6_500,
  everyMs: 20_000,
  burst(ctx, round) {
    const dialer = DIALERS[round % DIALERS.length]!;
    return { what: dialer.what, messages: [dialer.make(ctx)], perTick: 1, gapMs: 0 };
  },
};
