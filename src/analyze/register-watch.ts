/**
 * Watches for the worst thing a capture can show: a scanner's REGISTER accepted with 2xx (svcrack
 * guessed an account's password, and can now take calls and place them at the owner's expense).
 * A REGISTER counts as a scanner's when the guard's fingerprints recognize it. Bounded: pending
 * REGISTERs and findings are capped.
 */
import { classify } from '../defense/fingerprint/classify.js';
import { isSipUri } from '../policy/alias-token.js';
import { peopleText } from '../policy/people-text.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { ScannerRegistration } from './analysis.js';
import { BoundedMap } from './bounded-map.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { ownString, type SipFacts } from './sip-facts.js';

const PENDING_CAP = 10_000;
const FINDINGS_CAP = 50;

interface Pending {
  readonly source: string;
  readonly registrar: string;
  readonly user: string | null;
  readonly family: string;
}

export class RegisterWatch {
  private readonly pending = new BoundedMap<string, Pending>(PENDING_CAP);
  readonly findings: ScannerRegistration[] = [];
  /** Accepted scanner REGISTERs past the listed ones. */
  more = 0;

  /** A REGISTER; `family` is the gate's label when it judged it (else the classifier is asked). */
  request(captured: CapturedMessage, facts: SipFacts, msg: SipMessage, family: string | null): void {
    if (facts.callId === null || facts.cseqSeq === null) return;
    const label = family ?? classify(msg)?.family ?? null;
    if (label === null) return;
    const to = msg.to();
    const user = !isSipError(to) && isSipUri(to.uri) && to.uri.user !== null ? peopleText(to.uri.user, 64) : null;
    this.pending.set(ownString(`${facts.cseqSeq} ${facts.callId}`), { source: captured.src.address, registrar: captured.dst.address, user, family: label });
  }

  /** A response to a REGISTER: a 2xx to a watched one is a finding. */
  response(captured: CapturedMessage, facts: SipFacts, time: string): void {
    const status = facts.status ?? 0;
    if (status < 200 || status >= 300 || facts.callId === null || facts.cseqSeq === null) return;
    const key = `${facts.cseqSeq} ${facts.callId}`;
    const p = this.pending.get(key);
    if (p === undefined || p.registrar !== captured.src.address || p.source !== captured.dst.address) return;
    this.pending.delete(key);
    if (this.findings.length >= FINDINGS_CAP) this.more++;
    else this.findings.push({ time, source: p.source, registrar: p.registrar, user: p.user, family: p.family });
  }
}
