/**
 * Does the provider keep the alias in the Request-URI of its calls? (DESIGN §2, issue 3 item 4.)
 *
 * Some providers send a call to the registered Contact's host and port but rewrite the Request-URI to
 * the account's number (`INVITE sip:0312345678@guard`). The guard learns it from real calls: an
 * out-of-dialog INVITE from the provider that carries a live token says "yes"; one without a live
 * token whose Request-URI user is the user (or number) of a registered AOR says "no". The answer is
 * kept (`provider.keeps_request_uri`, "yes"/"no") and logged once; "no" makes the gate use its
 * fallback (provider source + the WAN port + exactly one account with that number, dialogs as usual).
 * Both answers stay (only the operator resets them): a "no" because a provider that rewrites once will
 * do it again; a "yes" because a provider seen keeping the token does not start rewriting, so a
 * later token-less INVITE from its address (spoofed over UDP, say) cannot switch the fallback on.
 */
import type { SettingsStore } from '../store/settings-store.js';
import { SETTING_KEYS } from '../store/settings-store.js';
import type { Logger } from '../transport/logger.js';

export type UriObservation = 'token' | 'number' | 'other';

export class RequestUriWatch {
  readonly #settings: SettingsStore;
  readonly #logger: Logger;
  readonly #providerDomain: string;
  #rewrites: boolean;

  constructor(settings: SettingsStore, logger: Logger, providerDomain: string) {
    this.#settings = settings;
    this.#logger = logger;
    this.#providerDomain = providerDomain;
    this.#rewrites = settings.get(SETTING_KEYS.providerKeepsRequestUri) === 'no';
    if (this.#rewrites) this.#logFallback('kept from an earlier run');
  }

  /** True once the provider was seen rewriting the Request-URI: the gate's fallback is on. */
  get rewrites(): boolean {
    return this.#rewrites;
  }

  /** An out-of-dialog INVITE from the provider, as the caller classified its Request-URI. */
  observe(kind: UriObservation): void {
    const current = this.#settings.get(SETTING_KEYS.providerKeepsRequestUri);
    if (kind === 'token' && current === undefined) {
      this.#settings.set(SETTING_KEYS.providerKeepsRequestUri, 'yes');
      this.#logger.info('the provider keeps the alias in the Request-URI of its calls', { provider: this.#providerDomain });
    } else if (kind === 'number' && current === 'yes') {
      this.#logger.debug('ignored a provider INVITE without a token: the provider is known to keep the alias', { provider: this.#providerDomain });
    } else if (kind === 'number' && current !== 'no') {
      this.#settings.set(SETTING_KEYS.providerKeepsRequestUri, 'no');
      this.#rewrites = true;
      this.#logFallback('seen on a call');
    }
  }

  #logFallback(why: string): void {
    this.#logger.warn(
      'the provider rewrites the Request-URI to the phone number: calls are accepted by provider address, WAN port and number (fallback)',
      { provider: this.#providerDomain, why },
    );
  }
}
