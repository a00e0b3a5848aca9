/**
 * `--provider ADDR_OR_CIDR_OR_DOMAIN`, repeatable: addresses and CIDR blocks are taken as they are; a
 * domain is resolved with a timeout (its A/AAAA through the system resolver, plus the addresses of its
 * SIP servers named by SRV records). A name that does not resolve is a clear error that suggests giving an address instead.
 */
import { lookup, resolveSrv } from 'node:dns/promises';
import { AddressSet } from '../config/address-set.js';
import { parseCidr } from '../config/cidr.js';
import type { GivenProvider } from './infer-topology.js';

/** Resolves a name to addresses; rejects when it cannot. */
export type NameResolver = (name: string) => Promise<string[]>;

export const RESOLVE_TIMEOUT_MS = 5_000;
const MEMO_CAP = 10_000;
/** SRV targets looked up per service at most. */
const MAX_SRV = 8;

/** The domain's own addresses and those of its SIP servers (RFC 3263 SRV `_sip._udp`, `_sip._tcp`), together. */
export const systemResolver: NameResolver = async (name) => {
  const addressesOf = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const srvTargets = async (service: string) => (await resolveSrv(`${service}.${name}`)).slice(0, MAX_SRV).map((r) => r.name);
  // Every promise is handed to allSettled as soon as it exists, so that no rejection goes unhandled.
  const targets = (await Promise.allSettled([srvTargets('_sip._udp'), srvTargets('_sip._tcp')])).flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  const lookups = await Promise.allSettled([name, ...new Set(targets)].map((host) => addressesOf(host)));
  const found = [...new Set(lookups.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])))];
  if (found.length > 0) return found;
  const first = lookups[0];
  throw first !== undefined && first.status === 'rejected' ? first.reason : new Error('no addresses');
};

export type ProviderOptionResult = { readonly ok: true; readonly provider: GivenProvider & { readonly domain: string | null } } | { readonly ok: false; readonly error: string };

/** A host name as RFC 1123 allows it (letters, digits, hyphens, dots), at most 253 characters. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export async function resolveProviderOption(values: readonly string[], resolver: NameResolver = systemResolver, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<ProviderOptionResult> {
  const entries: string[] = [];
  let domain: string | null = null;
  for (const raw of values) {
    const value = raw.trim();
    const cidr = parseCidr(value);
    if (typeof cidr !== 'string') {
      entries.push(value);
      continue;
    }
    if (!HOST_NAME.test(value) || /^[\d.]+$/.test(value)) return { ok: false, error: `--provider '${raw}': not an address, a CIDR block or a domain name (${cidr})` };
    const resolved = await withTimeout(resolver(value), timeoutMs).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (resolved instanceof Error || resolved.length === 0) {
      const why = resolved instanceof Error ? resolved.message : 'no addresses';
      return { ok: false, error: `--provider '${raw}': could not resolve the domain (${why}); give the provider's address or CIDR block instead, e.g. --provider 203.0.113.10` };
    }
    entries.push(...resolved);
    domain ??= value.replace(/\.$/, '').toLowerCase();
  }
  const parsed = AddressSet.parse(entries);
  if (!parsed.ok) return { ok: false, error: `--provider: ${parsed.errors.map((e) => `'${entries[e.index]}': ${e.message}`).join('; ')}` };
  const set = parsed.set;
  const names = values.map((v) => v.trim());
  // Asked several times per message with the same few addresses: remembered (bounded).
  const known = new Map<string, boolean>();
  const isProvider = (address: string): boolean => {
    let answer = known.get(address);
    if (answer === undefined) {
      if (known.size >= MEMO_CAP) known.clear();
      known.set(address, (answer = set.has(address)));
    }
    return answer;
  };
  return { ok: true, provider: { isProvider, names, domain } };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
