/**
 * The public address the guard starts with, before the provider's responses teach it (RFC 3581):
 * the one learned before a restart (kept in the store), else the WAN listen address, else — when it
 * listens on a wildcard — a guess (the first non-internal IPv4 interface address). A wrong guess is
 * corrected by the first response from the provider (`registration-relay.ts`).
 */
import { networkInterfaces } from 'node:os';
import { parseHostPort } from '../config/host-port.js';
import type { SettingsStore } from '../store/settings-store.js';
import type { HostAndPort } from './guard-addresses.js';

/** The learned public address, kept across restarts ("host:port"). */
export const PUBLIC_ADDRESS_SETTING = 'proxy.public_address';

export function initialPublic(settings: SettingsStore, listenAddress: string, wanPort: number, guess?: string): HostAndPort {
  const kept = parseHostPort(settings.get(PUBLIC_ADDRESS_SETTING) ?? '');
  if (typeof kept !== 'string' && kept.kind !== 'domain') return { host: kept.host, port: kept.port ?? wanPort };
  if (listenAddress !== '0.0.0.0' && listenAddress !== '::') return { host: listenAddress, port: wanPort };
  return { host: guess ?? firstExternalAddress() ?? '127.0.0.1', port: wanPort };
}

function firstExternalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (!info.internal && info.family === 'IPv4') return info.address;
  }
  return undefined;
}
