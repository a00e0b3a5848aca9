/**
 * Metasploit's SIP modules. `auxiliary/scanner/sip/options` (`create_probe()`): Via branch
 * `z9hG4bK.<8 hex>;rport;alias`, the fixed From tag `70c00e8c`, `To: sip:nobody@<target>`, Call-ID
 * `<decimal>@<ip>`, `Contact:  sip:…` with two spaces, `Max-Forwards: 20`, a random user as
 * User-Agent, `Accept: text/plain`. `auxiliary/scanner/sip/enumerator`: the same shape as REGISTERs,
 * with the extension tried as display name.
 */
import { ALPHANUMERIC } from '../lab-random.js';
import { sipText, type Header } from '../sip-text.js';
import type { ScannerContext, ScannerFamily } from './scanner-family.js';

const FIXED_TAG = '70c00e8c';

function common(ctx: ScannerContext, user: string, method: string): Header[] {
  const { self, random } = ctx;
  return [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=z9hG4bK.${random.hex(8)};rport;alias`],
    ['Call-ID', `${random.int(100000000, 4294967295)}@${self.address}`],
    ['CSeq', `1 ${method}`],
    ['Max-Forwards', '20'],
    ['User-Agent', user],
    ['Accept', 'text/plain'],
    ['Content-Length', '0'],
  ];
}

function optionsProbe(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const user = random.chars(5, ALPHANUMERIC);
  const [via, callId, cseq, ...rest] = common(ctx, user, 'OPTIONS');
  const headers: Header[] = [
    via!,
    ['From', `sip:${user}@${self.address}:${self.port};tag=${FIXED_TAG}`],
    ['To', `sip:nobody@${target.address}`],
    callId!,
    cseq!,
    ['Contact', ` sip:${user}@${self.address}:${self.port}`],
    ...rest,
  ];
  return sipText(`OPTIONS sip:nobody@${target.address} SIP/2.0`, headers);
}

function enumerator(ctx: ScannerContext, ext: number): string {
  const { self, target, random } = ctx;
  const user = random.chars(5, ALPHANUMERIC);
  const [via, callId, cseq, ...rest] = common(ctx, user, 'REGISTER');
  const headers: Header[] = [
    via!,
    ['From', `${ext} <sip:${user}@${self.address}:${self.port}>;tag=${FIXED_TAG}`],
    ['To', `${ext} <sip:${ext}@${target.address}>`],
    callId!,
    cseq!,
    ['Contact', `<sip:${user}@${self.address}:${self.port}>`],
    ...rest,
  ];
  return sipText(`REGISTER sip:${ext}@${target.address} SIP/2.0`, headers);
}

export const metasploit: ScannerFamily = {
  id: 'metasploit',
  name: 'Metasploit',
  summary: 'options scanner and extension enumerator',
  port: 5060,
  firstMs: 5_500,
  everyMs: 30_000,
  burst(ctx, round) {
    if (round % 2 === 0) return { what: 'OPTIONS sip:nobody@… (scanner/sip/options)', messages: [optionsProbe(ctx)], perTick: 1, gapMs: 0 };
    const first = 1000 + ((round * 3) % 90);
    return {
      what: `REGISTER enumeration of extensions ${first}–${first + 2} (scanner/sip/enumerator)`,
      messages: [0, 1, 2].map((i) => enumerator(ctx, first + i)),
      perTick: 1,
      gapMs: 400,
    };
  },
};
