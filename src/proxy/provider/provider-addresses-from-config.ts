/**
 * The guard's {@link ProviderAddresses} from its configuration: `provider.registrar` first (an IP needs
 * no lookup; a name with a port is looked up by A/AAAA; a name alone by NAPTR/SRV/A/AAAA), then
 * `provider.domain` (RFC 3263), plus `provider.trusted`. REGISTER goes to the registrar when one is
 * configured, else to what the domain's lookup found, over the transports of `wan.transports`.
 */
import type { ProviderConfig, WanConfig } from '../../config/config.js';
import type { Logger } from '../../transport/logger.js';
import type { Clock } from '../../util/clock.js';
import type { DnsResolver } from './dns-resolver.js';
import type { LearnedAddressesOptions } from './learned-addresses.js';
import { ProviderAddresses, type ProviderName } from './provider-addresses.js';
import type { RefreshTiming } from './refresh-timing.js';

export interface ProviderAddressesDeps {
  readonly resolver: DnsResolver;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly timing?: Partial<RefreshTiming>;
  readonly learned?: LearnedAddressesOptions;
}

export function providerAddressesFromConfig(
  config: { readonly provider: ProviderConfig; readonly wan: Pick<WanConfig, 'transports'> },
  deps: ProviderAddressesDeps,
): ProviderAddresses {
  const { registrar, domain, trusted } = config.provider;
  const names: ProviderName[] = [];
  if (registrar !== null) names.push({ host: registrar.host, port: registrar.port, label: 'provider.registrar' });
  names.push({ host: domain, label: 'provider.domain' });
  return new ProviderAddresses({ ...deps, names, trusted, transports: config.wan.transports });
}
