/**
 * The dialogs the guard sits in (RFC 3261 §12), as a record-routing proxy sees them: enough to route
 * in-dialog requests from either side and to let the gate recognise them.
 *
 * A dialog is identified by its Call-ID and the two tags (§12: "A dialog is identified at each UA
 * with a dialog ID, which consists of a Call-ID value, a local tag and a remote tag"). Here the tags
 * are named by side: the phone's tag (behind the guard, on the LAN leg) and the remote tag (the
 * provider side, on the WAN leg). "Dialogs are created through the generation of non-failure
 * responses to requests with specific methods. Within this specification, only 2xx and 101-199
 * responses with a To tag, where the request was INVITE, will establish a dialog." (§12.1) A dialog
 * made by a provisional response is early; a 2xx confirms it. A BYE's final response ends it; a
 * failure of the INVITE ends its early dialogs (§12.3).
 *
 * ```
 *   (none) ── 1xx with To tag ──► Early ── 2xx ──► Confirmed ── BYE final response / idle expiry ──► (gone)
 *     └────── 2xx ─────────────────────────────────┘   Early ── INVITE failed / early expiry ──► (gone)
 * ```
 *
 * Bounded: at most `maxDialogs`; a new dialog beyond it evicts the least recently used one. Early
 * dialogs expire after `earlyTtlMs` (a little over Timer C), confirmed ones after `idleTtlMs` without
 * any in-dialog request (a call with no re-INVITE, UPDATE or session-timer refresh for that long is
 * taken for gone, its BYE lost).
 */
import type { Flow } from '../transport/flow.js';
import type { Clock } from '../util/clock.js';

export enum DialogState {
  Early = 'early',
  Confirmed = 'confirmed',
}

/** Who sent the INVITE that created the dialog. */
export type DialogOrigin = 'provider' | 'phone';

export interface DialogInit {
  readonly callId: string;
  /** The tag of the phone behind the guard. */
  readonly phoneTag: string;
  /** The tag of the provider side. */
  readonly remoteTag: string;
  readonly origin: DialogOrigin;
  /** The alias the phone is known by on the WAN leg in this dialog. */
  readonly token: string;
  /** The phone's binding token, when it has one. */
  readonly bindingToken: string | null;
  /** The phone's real Contact URI (its remote target, LAN side) and its flow. */
  readonly phoneTarget: string;
  readonly phoneFlow: Flow;
  /** The provider side's Contact URI (remote target, WAN side) and the flow to it. */
  readonly remoteTarget: string;
  readonly wanFlow: Flow;
}

export interface Dialog extends DialogInit {
  readonly state: DialogState;
  readonly createdAt: number;
  readonly lastActivity: number;
}

export interface DialogTableOptions {
  readonly clock: Clock;
  /** Default 10 000. */
  readonly maxDialogs?: number;
  /** Default 200 s (Timer C is 180 s). */
  readonly earlyTtlMs?: number;
  /** Default 12 h. */
  readonly idleTtlMs?: number;
}

export interface DialogTableStats {
  readonly size: number;
  readonly created: number;
  readonly confirmed: number;
  readonly ended: number;
  readonly expired: number;
  readonly evicted: number;
}

const DEFAULT_MAX = 10_000;
const DEFAULT_EARLY_TTL = 200_000;
const DEFAULT_IDLE_TTL = 12 * 3_600_000;

function dialogKey(callId: string, phoneTag: string, remoteTag: string): string {
  return `${callId.length}:${callId}${phoneTag.length}:${phoneTag}${remoteTag}`;
}

export class DialogTable {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #earlyTtl: number;
  readonly #idleTtl: number;
  /** Least recently used first (Map insertion order; a touch re-inserts). */
  readonly #dialogs = new Map<string, Dialog>();
  #created = 0;
  #confirmed = 0;
  #ended = 0;
  #expired = 0;
  #evicted = 0;

  constructor(options: DialogTableOptions) {
    this.#clock = options.clock;
    this.#max = options.maxDialogs ?? DEFAULT_MAX;
    this.#earlyTtl = options.earlyTtlMs ?? DEFAULT_EARLY_TTL;
    this.#idleTtl = options.idleTtlMs ?? DEFAULT_IDLE_TTL;
    if (!Number.isInteger(this.#max) || this.#max < 1) throw new RangeError('maxDialogs must be a positive integer');
  }

  get size(): number {
    return this.#dialogs.size;
  }

  /**
   * §12.1: a 1xx with a To tag (`confirmed` false) or a 2xx (`confirmed` true) to an INVITE. Creates
   * the dialog, or moves an early one to Confirmed (never back), and refreshes the targets.
   */
  establish(init: DialogInit, confirmed: boolean): Dialog {
    const key = dialogKey(init.callId, init.phoneTag, init.remoteTag);
    const now = this.#clock.now();
    const existing = this.#dialogs.get(key);
    const state = confirmed || existing?.state === DialogState.Confirmed ? DialogState.Confirmed : DialogState.Early;
    if (existing === undefined) {
      this.#created++;
      this.#makeRoom();
    } else {
      this.#dialogs.delete(key);
    }
    if (state === DialogState.Confirmed && existing?.state !== DialogState.Confirmed) this.#confirmed++;
    const dialog: Dialog = { ...init, state, createdAt: existing?.createdAt ?? now, lastActivity: now };
    this.#dialogs.set(key, dialog);
    return dialog;
  }

  /** The live dialog with these tags (`phoneTag` behind the guard), refreshed as recently used; or undefined. */
  find(callId: string, phoneTag: string | null, remoteTag: string | null): Dialog | undefined {
    if (phoneTag === null || remoteTag === null) return undefined;
    const key = dialogKey(callId, phoneTag, remoteTag);
    const dialog = this.#dialogs.get(key);
    if (dialog === undefined) return undefined;
    if (this.#isExpired(dialog, this.#clock.now())) {
      this.#dialogs.delete(key);
      this.#expired++;
      return undefined;
    }
    return dialog;
  }

  /** Whether the dialog is known, without refreshing it (the gate's question). */
  has(callId: string, phoneTag: string | null, remoteTag: string | null): boolean {
    return this.find(callId, phoneTag, remoteTag) !== undefined;
  }

  /** An in-dialog request passed: the dialog stays alive; a target refresh (§12.2) updates a target. */
  touch(dialog: Dialog, update: { phoneTarget?: string; remoteTarget?: string } = {}): Dialog {
    const key = dialogKey(dialog.callId, dialog.phoneTag, dialog.remoteTag);
    if (this.#dialogs.get(key) === undefined) return dialog;
    const next: Dialog = { ...dialog, ...update, lastActivity: this.#clock.now() };
    this.#dialogs.delete(key);
    this.#dialogs.set(key, next);
    return next;
  }

  /** The dialog ended (a BYE's final response, §15.1.2). */
  remove(dialog: Pick<Dialog, 'callId' | 'phoneTag' | 'remoteTag'>): boolean {
    const removed = this.#dialogs.delete(dialogKey(dialog.callId, dialog.phoneTag, dialog.remoteTag));
    if (removed) this.#ended++;
    return removed;
  }

  /**
   * The INVITE failed (a final non-2xx, a CANCEL, a timeout): its early dialogs end (§12.3 ... "an
   * early dialog ... terminates when a non-2xx final response arrives"). `inviterTag` is the From
   * tag of the INVITE.
   */
  dropEarly(callId: string, origin: DialogOrigin, inviterTag: string): number {
    let dropped = 0;
    for (const [key, dialog] of this.#dialogs) {
      if (dialog.callId !== callId || dialog.state !== DialogState.Early || dialog.origin !== origin) continue;
      const tag = origin === 'provider' ? dialog.remoteTag : dialog.phoneTag;
      if (tag !== inviterTag) continue;
      this.#dialogs.delete(key);
      this.#ended++;
      dropped++;
    }
    return dropped;
  }

  /** Removes every expired dialog; returns how many. */
  sweep(): number {
    const now = this.#clock.now();
    let removed = 0;
    for (const [key, dialog] of this.#dialogs) {
      if (!this.#isExpired(dialog, now)) continue;
      this.#dialogs.delete(key);
      removed++;
    }
    this.#expired += removed;
    return removed;
  }

  stats(): DialogTableStats {
    return {
      size: this.#dialogs.size,
      created: this.#created,
      confirmed: this.#confirmed,
      ended: this.#ended,
      expired: this.#expired,
      evicted: this.#evicted,
    };
  }

  #isExpired(dialog: Dialog, now: number): boolean {
    const ttl = dialog.state === DialogState.Early ? this.#earlyTtl : this.#idleTtl;
    return now - dialog.lastActivity >= ttl;
  }

  #makeRoom(): void {
    while (this.#dialogs.size >= this.#max) {
      const oldest = this.#dialogs.keys().next().value;
      if (oldest === undefined) return;
      this.#dialogs.delete(oldest);
      this.#evicted++;
    }
  }
}
