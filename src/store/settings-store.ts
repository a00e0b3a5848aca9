/**
 * Small facts the guard learns and keeps across restarts, as text under dotted keys.
 */

/** Keys in use; other parts may add their own under their own prefix. */
export const SETTING_KEYS = Object.freeze({
  /** The WAN port chosen at the first start when wan.listen has port 0 (decimal text). */
  wanPort: 'wan.port',
  /** The TLS port chosen with it. */
  wanTlsPort: 'wan.tls_port',
  /**
   * Whether the provider keeps our alias token in the Request-URI of calls: "yes", "no" (it rewrites
   * the Request-URI to the number, so the guard falls back to source + port + dialog checks).
   */
  providerKeepsRequestUri: 'provider.keeps_request_uri',
});

export interface SettingsStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): boolean;
  /** Every key and value, sorted by key. */
  entries(): Array<[string, string]>;
}
