/**
 * The flood's message mix: real scanner shapes from bench/corpus and test/fixtures/scanners
 * (SIPVicious svmap/svwar/svcrack, sipcli, Nmap, SIPPTS, Metasploit) plus INVITEs and OPTIONS from
 * an unknown User-Agent, written as the sender's template file (records "LEN\n" + bytes).
 *
 * Each message keeps its shape; only the top Via becomes `SIP/2.0/UDP 127.0.0.9:5060;branch=
 * z9hG4bK-<n>;rport` (a literal address, so Kamailio never resolves a scanner's made-up host, and
 * rport, so its 404 goes back to the spoofed source) and the Call-ID gets the packet number in
 * front, so that no two datagrams look like retransmissions of each other.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MARK = '@@@@@@@@';
/** Kamailio's config drops these User-Agents unanswered; it answers every other request 404. */
export const KAMAILIO_DROP_UA = /friendly-scanner|sipvicious|sipcli/i;

export interface Shape {
  readonly name: string;
  readonly text: string;
  /** Does the bench's Kamailio config drop it (by User-Agent) rather than answer 404? */
  readonly kamailioDrops: boolean;
}

const FILES: ReadonlyArray<readonly [string, string]> = [
  ['svmap INVITE', 'bench/corpus/scanner-sipvicious-svmap-invite.sip'],
  ['svmap OPTIONS', 'bench/corpus/scanner-sipvicious-svmap-options.sip'],
  ['svwar REGISTER', 'bench/corpus/scanner-sipvicious-svwar-register.sip'],
  ['svcrack REGISTER', 'bench/corpus/scanner-sipvicious-svcrack-register-auth.sip'],
  ['sipcli INVITE', 'bench/corpus/scanner-sipcli-invite.sip'],
  ['nmap OPTIONS probe', 'bench/corpus/scanner-nmap-sipoptions-probe.sip'],
  ['nmap NSE OPTIONS', 'bench/corpus/scanner-nmap-nse-options.sip'],
  ['SIPPTS INVITE', 'bench/corpus/scanner-sippts-invite-sdp.sip'],
  ['SIPPTS scan OPTIONS', 'test/fixtures/scanners/sippts-scan-options.sip'],
  ['metasploit OPTIONS', 'bench/corpus/scanner-metasploit-options.sip'],
  ['unknown-UA INVITE', 'bench/corpus/softphone-linphone-invite-sdp.sip'],
  ['unknown-UA OPTIONS', 'bench/corpus/request-options-qualify-asterisk.sip'],
];
/** Unknown-UA shapes are sent twice per round, so about a third of the mix is not a known scanner. */
const UNKNOWN_REPEAT = 2;

function rewrite(raw: string, unknownUa: boolean): string {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error('bench:flood: corpus message without an empty line');
  const body = raw.slice(split);
  let viaDone = false;
  const head = raw
    .slice(0, split)
    .split('\r\n')
    .map((line, i) => {
      if (i === 0) return line;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      if ((name === 'via' || name === 'v') && !viaDone) {
        viaDone = true;
        return `${line.slice(0, colon)}: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bK-${MARK};rport`;
      }
      if (name === 'call-id' || name === 'i') return `${line.slice(0, colon)}: ${MARK}-${line.slice(colon + 1).trim()}`;
      if (unknownUa && name === 'user-agent') return 'User-Agent: bench-unknown-ua/1.0';
      return line;
    });
  if (!viaDone) throw new Error('bench:flood: corpus message without a Via');
  return head.join('\r\n') + body;
}

export function floodShapes(): Shape[] {
  const shapes: Shape[] = [];
  for (const [name, file] of FILES) {
    const unknown = name.startsWith('unknown');
    const text = rewrite(readFileSync(ROOT + file, 'latin1'), unknown);
    const ua = /^(user-agent):(.*)$/im.exec(text)?.[2] ?? '';
    const shape = { name, text, kamailioDrops: KAMAILIO_DROP_UA.test(ua) };
    for (let i = 0; i < (unknown ? UNKNOWN_REPEAT : 1); i++) shapes.push(shape);
  }
  return shapes;
}

/** Writes the sender's template file; returns the shapes in send order. */
export function writeTemplates(path: string): Shape[] {
  const shapes = floodShapes();
  const parts = shapes.map((s) => {
    const bytes = Buffer.from(s.text, 'latin1');
    return Buffer.concat([Buffer.from(`${bytes.length}\n`, 'latin1'), bytes]);
  });
  writeFileSync(path, Buffer.concat(parts));
  return shapes;
}
