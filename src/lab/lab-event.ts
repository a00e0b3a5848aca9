/**
 * What happens in the lab, as it happens: the terminal prints it and a dashboard can push it to a
 * browser. Every event is plain JSON-safe data; `guard-blocked` carries the guard's own event without
 * its raw bytes (the store keeps those: `store.events.query()`).
 */
import type { GuardEvent } from '../store/guard-event.js';
import type { LabPlan } from './lab-plan.js';
import type { LabTally } from './lab-tally.js';
import type { ScannerId } from './scanners/scanner-id.js';

/** Whom a ring came from: a call the provider placed, or anything else (a ghost call). */
export type RingSource = 'provider' | 'ghost';

export type LabEvent =
  /** Everything runs: what runs where. */
  | { readonly kind: 'lab-started'; readonly at: number; readonly plan: LabPlan }
  /** Everything is closed: the final score. */
  | { readonly kind: 'lab-stopped'; readonly at: number; readonly tally: LabTally }
  /** The phone's registration went through the guard (`alias`: the Contact the provider holds for it). */
  | { readonly kind: 'phone-registered'; readonly at: number; readonly expires: number; readonly alias: string | null; readonly refresh: boolean }
  | { readonly kind: 'phone-registration-failed'; readonly at: number; readonly status: number | null; readonly why: string }
  /** The provider placed a call to the phone's registered alias. */
  | { readonly kind: 'call-placed'; readonly at: number; readonly callId: string; readonly caller: string; readonly number: string; readonly plan: 'answer' | 'cancel' }
  /** The provider had no registration to call (the phone is not registered yet). */
  | { readonly kind: 'call-skipped'; readonly at: number; readonly why: string }
  /** The phone rang: an INVITE reached it. `from` is decided by the lab (a real phone cannot tell). */
  | { readonly kind: 'phone-rang'; readonly at: number; readonly callId: string; readonly from: RingSource; readonly caller: string }
  | { readonly kind: 'call-answered'; readonly at: number; readonly callId: string }
  | { readonly kind: 'call-cancelled'; readonly at: number; readonly callId: string }
  | { readonly kind: 'call-ended'; readonly at: number; readonly callId: string; readonly by: 'provider' | 'phone'; readonly talkMs: number }
  | { readonly kind: 'call-failed'; readonly at: number; readonly callId: string; readonly status: number | null; readonly why: string }
  /** A scanner starts a burst: `what` says it in words, `messages` how many it will send. */
  | { readonly kind: 'scanner-burst'; readonly at: number; readonly scanner: ScannerId; readonly what: string; readonly messages: number }
  /** One scanner message left for the guard's WAN port. */
  | { readonly kind: 'scanner-sent'; readonly at: number; readonly scanner: ScannerId; readonly method: string; readonly requestUri: string }
  /** A scanner got an answer (the guard drops scanners silently: this should never happen). */
  | { readonly kind: 'scanner-answered'; readonly at: number; readonly scanner: ScannerId; readonly status: number }
  /** The guard refused a request and recorded why (`scanner`: which lab scanner sent it, when one did). */
  | { readonly kind: 'guard-blocked'; readonly at: number; readonly scanner: ScannerId | null; readonly event: Omit<GuardEvent, 'raw'> };

export type LabEventKind = LabEvent['kind'];

export type LabListener = (event: LabEvent) => void;
