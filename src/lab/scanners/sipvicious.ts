/**
 * SIPVicious (`svmap`, `svwar`, `svcrack`), after `sipvicious/libs/svhelper.py` `makeRequest()` and
 * the three tools (bench/corpus/README.md): header order Via, Max-Forwards, To, From, User-Agent,
 * Call-ID, Contact, CSeq, Accept, Content-Length; Via branch `z9hG4bK-<32-bit decimal>;rport`;
 * `User-Agent: friendly-scanner`; tags from `createTag()`: the hex of a string, a 0x01 byte and a
 * random decimal.
 */
import { digestResponse } from '../../sip/digest.js';
import type { LabRandom } from '../lab-random.js';
import { sipText, type Header } from '../sip-text.js';
import { hexOf, ipHex, type ScannerContext, type ScannerFamily } from './scanner-family.js';

const UA = 'friendly-scanner';

function branch(random: LabRandom): string {
  return `z9hG4bK-${random.int(1, 4294967295)}`;
}

/** createTag(x): hex of `x`, 0x01, a random decimal. */
function createTag(x: string, random: LabRandom): string {
  return hexOf(`${x}\x01${random.int(1, 2147483647)}`);
}

/** svmap's probe: `<METHOD> sip:100@<target>`, From/To "sipvicious"<sip:100@1.1.1.1>, an 80-bit decimal Call-ID. */
export function svmapRequest(method: 'OPTIONS' | 'INVITE', ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const party = '"sipvicious"<sip:100@1.1.1.1>';
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=${branch(random)};rport`],
    ['Max-Forwards', '70'],
    ['To', party],
    ['From', `${party};tag=${createTag(`${ipHex(target.address)}${target.port.toString(16).padStart(4, '0')}`, random)}`],
    ['User-Agent', UA],
    ['Call-ID', random.digits(24)],
    ['Contact', `sip:100@${self.address}:${self.port}`],
    ['CSeq', `1 ${method}`],
    ['Accept', 'application/sdp'],
    ['Content-Length', '0'],
  ];
  return sipText(`${method} sip:100@${target.address} SIP/2.0`, headers);
}

/** The common svmap derivative (DESIGN §1): display name "PBX", no User-Agent, headers shuffled. */
function pbxDerivative(ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const ext = random.pick(['1000', '100', '101', '2000']);
  const party = `"PBX"<sip:${ext}@1.1.1.1>`;
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=${branch(random)};rport`],
    ['From', `${party};tag=${createTag(random.hex(8), random)}`],
    ['Call-ID', random.digits(24)],
    ['To', party],
    ['Max-Forwards', '70'],
    ['CSeq', '1 INVITE'],
    ['Contact', `sip:${ext}@${self.address}:${self.port}`],
    ['Accept', 'application/sdp'],
    ['Content-Length', '0'],
  ];
  return sipText(`INVITE sip:${ext}@${target.address} SIP/2.0`, headers);
}

export const svmap: ScannerFamily = {
  id: 'svmap',
  name: 'SIPVicious svmap',
  summary: 'is a phone here? OPTIONS, then INVITE sip:100@…',
  port: 5060,
  firstMs: 1_600,
  everyMs: 7_000,
  burst(ctx, round) {
    if (round % 3 === 2) {
      return { what: 'an svmap derivative calls as "PBX" (no User-Agent)', messages: [pbxDerivative(ctx)], perTick: 1, gapMs: 0 };
    }
    return {
      what: `OPTIONS and INVITE sip:100@${ctx.target.address}: is there a phone here?`,
      messages: [svmapRequest('OPTIONS', ctx), svmapRequest('INVITE', ctx)],
      perTick: 1,
      gapMs: 300,
    };
  },
};

/** svwar.py createRequest(): From/To "<ext>"<sip:<ext>@<domain>>, Contact sip:<ext>@<domain>, a 32-bit decimal Call-ID. */
function svwarRequest(method: 'INVITE' | 'REGISTER', ext: number, ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const domain = target.address;
  const party = `"${ext}"<sip:${ext}@${domain}>`;
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=${branch(random)};rport`],
    ['Max-Forwards', '70'],
    ['To', party],
    ['From', `${party};tag=${createTag(String(ext), random)}`],
    ['User-Agent', UA],
    ['Call-ID', String(random.int(1, 4294967295))],
    ['Contact', `sip:${ext}@${domain}`],
    ['CSeq', `1 ${method}`],
    ['Accept', 'application/sdp'],
    ['Content-Length', '0'],
  ];
  return sipText(`${method} ${method === 'REGISTER' ? `sip:${domain}` : `sip:${ext}@${domain}`} SIP/2.0`, headers);
}

const SWEEP = 10;

export const svwar: ScannerFamily = {
  id: 'svwar',
  name: 'SIPVicious svwar',
  summary: 'sweeps extensions 100, 101 … with INVITE or REGISTER',
  port: 5060,
  firstMs: 2_400,
  everyMs: 20_000,
  burst(ctx, round) {
    const first = 100 + ((round * SWEEP) % 900);
    const method = round % 2 === 0 ? 'INVITE' : 'REGISTER';
    const messages = Array.from({ length: SWEEP }, (_, i) => svwarRequest(method, first + i, ctx));
    return { what: `${method} sweep of extensions ${first}–${first + SWEEP - 1}`, messages, perTick: 1, gapMs: 250 };
  },
};

/** Passwords svcrack-style guessing tries first. */
const GUESSES = ['1234', '100', '12345', 'password', '0000', '1111', '123456', 'admin', 'secret', '100100', '4321', 'voip'];

/**
 * svcrack.py Register() + svhelper.challengeResponse(): REGISTER sip:<target>, From/To "<ext>" <sip:<ext>@<target>>,
 * CSeq 2 (the answer to a challenge), the guess hex-encoded in the tag, Authorization without spaces after Content-Length.
 */
function svcrackRequest(ext: string, password: string, ctx: ScannerContext): string {
  const { self, target, random } = ctx;
  const domain = target.address;
  const party = `"${ext}" <sip:${ext}@${domain}>`;
  const uri = `sip:${domain}`;
  const nonce = random.hex(8);
  const realm = 'asterisk';
  const response = digestResponse({ username: ext, realm, password, method: 'REGISTER', uri, nonce });
  const headers: Header[] = [
    ['Via', `SIP/2.0/UDP ${self.address}:${self.port};branch=${branch(random)};rport`],
    ['Max-Forwards', '70'],
    ['To', party],
    ['From', `${party};tag=${createTag(`${ext}:${password}`, random)}`],
    ['User-Agent', UA],
    ['Call-ID', String(random.int(1, 4294967295))],
    ['Contact', `sip:${ext}@${domain}`],
    ['CSeq', '2 REGISTER'],
    ['Accept', 'application/sdp'],
    ['Content-Length', '0'],
    ['Authorization', `Digest username="${ext}",realm="${realm}",nonce="${nonce}",uri="${uri}",algorithm=MD5,qop=auth,response="${response}"`],
  ];
  return sipText(`REGISTER ${uri} SIP/2.0`, headers);
}

const GUESSES_PER_BURST = 6;

export const svcrack: ScannerFamily = {
  id: 'svcrack',
  name: 'SIPVicious svcrack',
  summary: 'guesses passwords: REGISTER with digest answers',
  port: 5060,
  firstMs: 3_500,
  everyMs: 25_000,
  burst(ctx, round) {
    const ext = String(100 + (round % 10));
    const start = (round * GUESSES_PER_BURST) % GUESSES.length;
    const tries = Array.from({ length: GUESSES_PER_BURST }, (_, i) => GUESSES[(start + i) % GUESSES.length]!);
    return {
      what: `${tries.length} password guesses for extension ${ext} (${tries.slice(0, 3).join(', ')} …)`,
      messages: tries.map((password) => svcrackRequest(ext, password, ctx)),
      perTick: 1,
      gapMs: 300,
    };
  },
};
