/**
 * The store the lab hands to the guard: the real one, with the event sink tapped, so that every
 * request the guard refuses is also told to the lab as it happens (the guard records every refusal:
 * that record is the lab's "guard blocked" feed). No flood path (`bump`): the lab sees each refusal
 * in full. Everything else passes straight through.
 */
import type { GuardEvent } from '../store/guard-event.js';
import { hookedStore } from '../store/hooked-store.js';
import type { Store } from '../store/store.js';

export function watchedStore(store: Store, onRecord: (event: GuardEvent) => void): Store {
  return hookedStore(store, { recorded: onRecord });
}
