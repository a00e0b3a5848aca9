/**
 * Builds the guard's {@link Defense} from `config.defense` and connects it: who is never banned (the
 * provider set, `lan.allow`'s private part, live bindings), the event sink that reports every
 * refused request to the refusal trigger, and bans on the LAN leg (a password guesser on a VPS guard
 * registers through the LAN leg from the internet).
 */
import type { Cidr } from '../config/cidr.js';
import { parseCidr } from '../config/cidr.js';
import type { Config } from '../config/config.js';
import { banProtection } from '../defense/bans/ban-protection.js';
import { Defense } from '../defense/defense.js';
import type { LanContext } from '../policy/lan-gate.js';
import type { Binding } from '../store/binding-store.js';
import type { EventSink } from '../store/event-store.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../transport/logger.js';
import type { ProviderAddressBook } from './provider-book.js';

export interface GuardDefenseDeps {
  readonly clock: { now(): number };
  readonly logger: Logger;
  readonly store: Store;
  readonly providers: ProviderAddressBook;
  /** Live bindings (their flows' addresses are registered phones). */
  readonly bindings: () => readonly Binding[];
}

export function defenseFor(config: Config, deps: GuardDefenseDeps): Defense {
  const protect = banProtection({
    isProvider: (address) => deps.providers.has(address),
    providerBlocks: () => {
      const blocks: Cidr[] = [...config.provider.trusted.cidrs];
      for (const target of deps.providers.targets()) {
        const cidr = parseCidr(target.address);
        if (typeof cidr !== 'string') blocks.push(cidr);
      }
      return blocks;
    },
    lanAllow: config.lan.allow,
    phoneAddresses: () => deps.bindings().map((b) => b.flow.remoteAddress),
  });
  return new Defense({ config: config.defense, clock: deps.clock, logger: deps.logger, store: deps.store.bans, protect });
}

/**
 * The store's event sink, telling the defense of every refused request first (the refusal trigger),
 * whether it is recorded in full or only counted into its row (then with its row's family).
 */
export function reportingSink(events: EventSink, defense: Defense): EventSink {
  const bump = events.bump?.bind(events);
  const countUnnamed = events.countUnnamed?.bind(events);
  return {
    // No source to count them against: first sightings, which the refusal counter's doorkeeper
    // would only have remembered.
    ...(countUnnamed === undefined ? {} : { countUnnamed }),
    record(event) {
      defense.refused(event.flow.remoteAddress, event.reasons[0], event.family, event.time);
      events.record(event);
    },
    ...(bump === undefined
      ? {}
      : {
          bump(time: number, remoteAddress: string, primaryReason: string) {
            const counted = bump(time, remoteAddress, primaryReason);
            if (counted !== undefined) defense.refused(remoteAddress, primaryReason, counted.family, time);
            return counted;
          },
        }),
  };
}

/** The LAN gate, with banned sources treated as outside `lan.allow` (dropped, `lan-not-allowed`). */
export function withBans(gate: LanContext, isBanned: (address: string) => boolean): LanContext {
  return { ...gate, isAllowed: (address) => gate.isAllowed(address) && !isBanned(address) };
}
