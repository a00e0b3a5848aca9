/** Everything the guard persists, behind the four seams. */
import type { BanStore } from './ban-store.js';
import type { BindingStore } from './binding-store.js';
import type { EventStore } from './event-store.js';
import type { SettingsStore } from './settings-store.js';

export interface Store {
  readonly events: EventStore;
  readonly bindings: BindingStore;
  readonly bans: BanStore;
  readonly settings: SettingsStore;
  /** Writes buffered events and closes. Idempotent; after it, reads and writes throw GG_ERR_STORE_CLOSED (except `events.record`, which ignores and counts). */
  close(): void;
}
