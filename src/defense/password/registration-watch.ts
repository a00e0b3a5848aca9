/**
 * The seam between the registration relay (src/proxy) and password-guessing defense: the relay asks
 * before it forwards a phone's REGISTER, and reports the provider's final answer.
 */

export interface RegistrationAttempt {
  /** Source address of the REGISTER on the LAN leg. */
  readonly source: string;
  /** Address of record (`sip:user@domain`): the account. */
  readonly aor: string;
  /** Whether it carried an Authorization or Proxy-Authorization header (RFC 3261 §22). */
  readonly credentials: boolean;
}

export interface RegistrationWatch {
  /** False: refuse it (the relay answers 403 and forwards nothing). */
  admit(attempt: RegistrationAttempt): boolean;
  /** The provider's final response; `stale`: a 401/407 with `stale=true` (an old nonce, RFC 2617 §3.2.1). */
  outcome(attempt: RegistrationAttempt, status: number, stale: boolean): void;
}

/** Whether a challenge says the nonce was stale (the credentials were right): `stale=true`. */
export function isStaleChallenge(challenge: string | undefined): boolean {
  if (challenge === undefined) return false;
  const lower = challenge.toLowerCase();
  for (let at = lower.indexOf('stale'); at >= 0; at = lower.indexOf('stale', at + 5)) {
    let i = at + 5;
    while (lower[i] === ' ' || lower[i] === '\t') i++;
    if (lower[i] !== '=') continue;
    i++;
    while (lower[i] === ' ' || lower[i] === '\t' || lower[i] === '"') i++;
    if (lower.startsWith('true', i)) return true;
  }
  return false;
}
