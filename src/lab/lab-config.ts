/**
 * The guard's configuration for the demo, written as the YAML a user would write and validated by the
 * same `parseConfig`: the provider is the simulated one, each leg has its own loopback address, only
 * the phone's address may use the LAN leg, and strangers get nothing (`policy.unknown: drop`).
 */
import type { Config } from '../config/config.js';
import { formatConfigError } from '../config/config-error.js';
import { parseConfig } from '../config/parse-config.js';
import type { Endpoint } from '../transport/flow.js';

export interface LabConfigInput {
  readonly domain: string;
  readonly provider: Endpoint;
  readonly wanAddress: string;
  readonly lan: Endpoint;
  readonly phoneAddress: string;
  /** Absolute path of the store, or ":memory:". */
  readonly store: string;
}

export function labConfigText(input: LabConfigInput): string {
  return [
    '# ghostguard demo: everything on loopback',
    'provider:',
    `  domain: ${input.domain}`,
    `  registrar: ${input.provider.address}:${input.provider.port}`,
    'wan:',
    `  listen: ${input.wanAddress}:0`,
    '  transports: [udp]',
    '  readers: 0 # the demo shows every refusal in full; its few scanners need no reader processes',
    'lan:',
    `  listen: ${input.lan.address}:${input.lan.port}`,
    `  allow: [${input.phoneAddress}/32]`,
    '  transports: [udp]',
    `store: ${JSON.stringify(input.store)}`,
    'policy:',
    '  unknown: drop',
    '',
  ].join('\n');
}

export function labConfig(input: LabConfigInput): Config {
  const result = parseConfig(labConfigText(input), 'ghostguard-demo.yaml', { baseDir: '/', fileExists: () => false });
  if (!result.ok) throw new Error(`the demo's own config is invalid: ${result.errors.map(formatConfigError).join('; ')}`);
  return result.config;
}
