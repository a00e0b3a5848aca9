/**
 * The running score of the lab, kept from its events: what the provider's calls did, how often the
 * phone rang and for whom, what each scanner sent and how much of it the guard blocked.
 */
import type { LabEvent } from './lab-event.js';
import { SCANNER_IDS, type ScannerId } from './scanners/scanner-id.js';

export interface ScannerTally {
  /** Messages sent to the guard. */
  readonly sent: number;
  /** Of this scanner's messages, how many the guard refused and recorded. */
  readonly blocked: number;
  /** Answers the scanner got (the guard drops silently: 0). */
  readonly answered: number;
}

export interface LabTally {
  readonly providerCalls: {
    readonly placed: number;
    /** Provider calls that made the phone ring. */
    readonly rang: number;
    readonly answered: number;
    readonly cancelled: number;
    readonly ended: number;
    readonly failed: number;
    /** Placed and not yet over. */
    readonly inProgress: number;
  };
  readonly ghostCalls: {
    /** Rings that did not come from a provider call: the number ghostguard exists to keep at 0. */
    readonly rang: number;
    /** Requests the guard refused (every source). */
    readonly blocked: number;
  };
  readonly phone: { readonly registered: boolean; readonly registrations: number; readonly registrationFailures: number };
  readonly scanners: Readonly<Record<ScannerId, ScannerTally>>;
  /** Blocked requests by primary reason code. */
  readonly blockedByReason: Readonly<Record<string, number>>;
}

interface MutableScanner {
  sent: number;
  blocked: number;
  answered: number;
}

export class LabTallyKeeper {
  readonly #calls = { placed: 0, rang: 0, answered: 0, cancelled: 0, ended: 0, failed: 0 };
  readonly #ghost = { rang: 0, blocked: 0 };
  readonly #phone = { registered: false, registrations: 0, registrationFailures: 0 };
  readonly #scanners = new Map<ScannerId, MutableScanner>(SCANNER_IDS.map((id) => [id, { sent: 0, blocked: 0, answered: 0 }]));
  readonly #reasons = new Map<string, number>();

  /** Counts one event (subscribe it to the lab's bus). */
  readonly take = (event: LabEvent): void => {
    switch (event.kind) {
      case 'phone-registered':
        this.#phone.registered = true;
        this.#phone.registrations++;
        return;
      case 'phone-registration-failed':
        this.#phone.registrationFailures++;
        return;
      case 'call-placed':
        this.#calls.placed++;
        return;
      case 'phone-rang':
        if (event.from === 'provider') this.#calls.rang++;
        else this.#ghost.rang++;
        return;
      case 'call-answered':
        this.#calls.answered++;
        return;
      case 'call-cancelled':
        this.#calls.cancelled++;
        return;
      case 'call-ended':
        this.#calls.ended++;
        return;
      case 'call-failed':
        this.#calls.failed++;
        return;
      case 'scanner-sent':
        this.#scanners.get(event.scanner)!.sent++;
        return;
      case 'scanner-answered':
        this.#scanners.get(event.scanner)!.answered++;
        return;
      case 'guard-blocked': {
        this.#ghost.blocked++;
        if (event.scanner !== null) this.#scanners.get(event.scanner)!.blocked++;
        const reason = event.event.reasons[0] ?? 'unknown';
        this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + 1);
        return;
      }
      default:
        return;
    }
  };

  snapshot(): LabTally {
    const c = this.#calls;
    // An answered call is over once ended; a call that never got answered is over once cancelled or failed.
    const over = c.ended + c.cancelled + c.failed;
    return {
      providerCalls: { ...c, inProgress: Math.max(0, c.placed - over) },
      ghostCalls: { ...this.#ghost },
      phone: { ...this.#phone },
      scanners: Object.fromEntries([...this.#scanners].map(([id, s]) => [id, { ...s }])) as Record<ScannerId, ScannerTally>,
      blockedByReason: Object.fromEntries(this.#reasons),
    };
  }
}
