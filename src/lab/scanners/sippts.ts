/**
 * SIPPTS (Pepelux), e.g. `sippts invite`, after `src/sippts/lib/functions.py` `create_message()`:
 * `User-Agent: pplsip`, a Via branch of 71 random [0-9a-z] WITHOUT the z9hG4bK cookie, Call-ID 32 hex,
 * From tag 8 hex, From/To with an empty display name (`From:  <sip:…>`), Contact
 * `<…;transport=UDP>;expires=120`, the fixed 13-method Allow, SDP `s=SIPPTS` ending with an empty line
 * that Content-Length counts.
 */
import { sipText, type Header } from '../sip-text.js';
import type { ScannerContext, ScannerFamily } from './scanner-family.js';

const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

function sipptsSdp(ctx: ScannerContext, ext: string): string {
  const { self, random } = ctx;
  return [
    'v=0',
    `o=${ext} 8000 8000 IN IP4 ${self.address}`,
    's=SIPPTS',
    `c=IN IP4 ${self.address}`,
    't=0 0',
    `m=audio ${random.int(10000, 20000)} RTP/AVP 0 9 8 18 3 110 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:18 G729/8000',
    'a=fmtp:18 annexb=no',
    'a=rtpmap:3 GSM/8000',
    'a=rtpmap:110 speex/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    '',
    '',
  ].join('\r\n');
}

export function sipptsInvite(ctx: ScannerContext, ext: string): string {
  const { self, target, random } = ctx;
  const body = sipptsSdp(ctx, ext);
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=${random.chars(71, LOWER_ALNUM)};rport`],
    ['From', ` <sip:${ext}@${target.address}>;tag=${random.hex(8)}`],
    ['To', ` <sip:${ext}@${target.address}>`],
    ['Contact', `<sip:${ext}@${self.address}:${self.port};transport=UDP>;expires=120`],
    ['Call-ID', random.hex(32)],
    ['CSeq', '1 INVITE'],
    ['Max-Forwards', '70'],
    ['User-Agent', 'pplsip'],
    ['Allow', 'INVITE, REGISTER, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, SUBSCRIBE, UPDATE, PRACK, MESSAGE'],
    ['Content-Type', 'application/sdp'],
    ['Accept', 'application/sdp, application/dtmf-relay'],
    ['Content-Length', String(body.length)],
  ];
  return sipText(`INVITE sip:${ext}@${target.address} SIP/2.0`, headers, body);
}

export const sippts: ScannerFamily = {
  id: 'sippts',
  name: 'SIPPTS',
  summary: 'calls likely extensions: INVITE with SDP, UA pplsip',
  port: 5070,
  firstMs: 4_500,
  everyMs: 30_000,
  burst(ctx, round) {
    const ext = ['100', '200', '1000', '101'][round % 4]!;
    return { what: `INVITE sip:${ext}@${ctx.target.address} with SDP`, messages: [sipptsInvite(ctx, ext)], perTick: 1, gapMs: 0 };
  },
};
