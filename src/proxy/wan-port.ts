/**
 * The WAN port (issue 3 item 1): `wan.listen` port 0 means a random high port, chosen at the first
 * start and kept in the store (`wan.port`) across restarts, because the provider knows the guard by
 * the alias Contacts registered with it, which name that port. A scanner that sweeps only 5060 never
 * finds it; one that sweeps every port still meets the gate.
 */
import { randomInt } from 'node:crypto';
import type { SettingsStore } from '../store/settings-store.js';
import { SETTING_KEYS } from '../store/settings-store.js';
import type { Logger } from '../transport/logger.js';

/** Random WAN ports are drawn from here: above the registered SIP ports, below most ephemeral ranges. */
export const RANDOM_PORT_MIN = 20_000;
export const RANDOM_PORT_MAX = 59_999;
const RANDOM_TRIES = 20;

export interface ChooseWanPortOptions {
  /** `wan.listen` port: 0 = random and kept. */
  readonly configured: number;
  readonly settings: SettingsStore;
  /** Binds every WAN transport on this port; false when the port is taken (the partial binding is undone). */
  readonly bind: (port: number) => Promise<boolean>;
  readonly logger: Logger;
  readonly random?: () => number;
}

/** Binds the WAN leg and returns its port; throws when a configured port (or no random one) can be bound. */
export async function chooseWanPort(options: ChooseWanPortOptions): Promise<number> {
  const { configured, settings, logger } = options;
  if (configured !== 0) {
    if (await options.bind(configured)) return configured;
    throw new Error(`wan.listen: port ${configured} is in use`);
  }
  const stored = Number(settings.get(SETTING_KEYS.wanPort));
  if (Number.isInteger(stored) && stored > 0 && stored < 65_536) {
    if (await options.bind(stored)) return stored;
    logger.warn('the kept WAN port is in use: choosing another one; phones re-register with it at their next refresh', { port: stored });
  }
  const random = options.random ?? (() => randomInt(RANDOM_PORT_MIN, RANDOM_PORT_MAX + 1));
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const port = random();
    if (!(await options.bind(port))) continue;
    settings.set(SETTING_KEYS.wanPort, String(port));
    return port;
  }
  throw new Error(`no free WAN port found in ${RANDOM_TRIES} tries`);
}
