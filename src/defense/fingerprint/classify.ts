/**
 * `classify(msg)`: the scanner family behind a request, from the built-in fingerprints, or null.
 *
 * This is what the guard passes as `GateContext.classify` (`new Guard(config, { classify })`): the
 * inbound gate calls it only for requests it has already refused, and uses the answer as a label
 * (`scanner-fingerprint`, and the family in the explanation). It never decides a verdict.
 */
import type { SipMessage } from '../../sip/message.js';
import { compileFingerprints, type FingerprintLabel } from './classifier.js';
import { FINGERPRINTS } from './fingerprints.js';

export type { FingerprintLabel } from './classifier.js';

/** The built-in fingerprints, compiled once (immutable). */
export const BUILTIN_CLASSIFIER = compileFingerprints(FINGERPRINTS);

export function classify(msg: SipMessage): FingerprintLabel | null {
  return BUILTIN_CLASSIFIER.classify(msg);
}
