/** TEST ONLY: the guard's alert sources as in-memory emitters, and a channel that records what it gets. */
import type { BanChange } from '../../defense/bans/ban-control.js';
import type { ProviderHealthChange } from '../../proxy/provider-health-types.js';
import type { Ban } from '../../store/ban-store.js';
import type { Alert } from '../alert.js';
import type { AlertChannel } from '../alert-channel.js';

export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();
  readonly subscribe = (listener: (value: T) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
  emit(value: T): void {
    for (const l of this.#listeners) l(value);
  }
  get size(): number {
    return this.#listeners.size;
  }
}

export function fakeSources(): { health: Emitter<ProviderHealthChange>; bans: Emitter<BanChange> } {
  return { health: new Emitter(), bans: new Emitter() };
}

export function ban(address: string, family: string | undefined, at: number, strikes = 1): Ban {
  return { address, reason: 'flood', ...(family ? { family } : {}), createdAt: at, expiresAt: at + 3_600_000, strikes, source: 'auto' };
}

export class RecordingChannel implements AlertChannel {
  readonly name = 'recorder';
  readonly alerts: Alert[] = [];
  deliver(alert: Alert, _signal?: AbortSignal): Promise<string> {
    this.alerts.push(alert);
    return Promise.resolve('recorded');
  }
}
