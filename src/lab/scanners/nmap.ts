/**
 * Nmap. Service detection (`-sV`) sends the `SIPOptions` probe of `nmap-service-probes` byte for byte
 * (host-less `sip:nm`, `branch=foo`, `tag=root`, `Call-ID: 50000`, `CSeq: 42 OPTIONS`, Content-Length
 * before Contact); the NSE script `sip-methods` sends `nselib/sip.lua`'s OPTIONS (`User-Agent: Nmap
 * NSE`, `sip:nil@<target>` — Lua prints the unset user name as `nil` —, CSeq 1234, `Content-Length:  0`
 * with two spaces).
 */
import { ALPHANUMERIC } from '../lab-random.js';
import { sipText, type Header } from '../sip-text.js';
import type { ScannerContext, ScannerFamily } from './scanner-family.js';

/** The SIPOptions probe: the same bytes every time, whoever sends it. */
export const NMAP_SIP_OPTIONS_PROBE = sipText('OPTIONS sip:nm SIP/2.0', [
  ['Via', 'SIP/2.0/UDP nm;branch=foo;rport'],
  ['From', '<sip:nm@nm>;tag=root'],
  ['To', '<sip:nm2@nm2>'],
  ['Call-ID', '50000'],
  ['CSeq', '42 OPTIONS'],
  ['Max-Forwards', '70'],
  ['Content-Length', '0'],
  ['Contact', '<sip:nm@nm>'],
  ['Accept', 'application/sdp'],
]);

function nseOptions(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};rport;branch=z9hG4bK${random.chars(25, ALPHANUMERIC)}`],
    ['Max-Forwards', '70'],
    ['From', `"Nmap NSE" <sip:nil@${target.address}>;tag=${random.chars(20, ALPHANUMERIC)}`],
    ['To', `"Nmap NSE" <sip:nil@${target.address}>`],
    ['Call-ID', random.chars(20, ALPHANUMERIC)],
    ['CSeq', '1234 OPTIONS'],
    ['User-Agent', 'Nmap NSE'],
    ['Contact', `"Nmap NSE" <sip:nil@${self.address}:${self.port}>`],
    ['Expires', '300'],
    ['Allow', 'PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS'],
    ['Accept', 'application/sdp'],
    ['Content-Length', ' 0'],
  ];
  return sipText(`OPTIONS sip:${target.address} SIP/2.0`, headers);
}

export const nmap: ScannerFamily = {
  id: 'nmap',
  name: 'Nmap',
  summary: 'what runs on this port? (OPTIONS sip:nm, sip-methods)',
  port: 0,
  firstMs: 800,
  everyMs: 11_000,
  burst(ctx, round) {
    return round % 2 === 0
      ? { what: 'service probe OPTIONS sip:nm (nmap -sV)', messages: [NMAP_SIP_OPTIONS_PROBE], perTick: 1, gapMs: 0 }
      : { what: 'sip-methods script: OPTIONS from "Nmap NSE"', messages: [nseOptions(ctx)], perTick: 1, gapMs: 0 };
  },
};
