/**
 * IP addresses of captured packets as text: dotted quad for IPv4, RFC 5952 for IPv6 (the project's
 * one formatter, `config/ip-address.ts`: the guard and the analyzer name an address the same way).
 */
import { formatIpv6Groups } from '../../config/ip-address.js';

export function formatIpv4(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

export function formatIpv6(buf: Uint8Array, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!);
  return formatIpv6Groups(groups);
}

export function formatIp(version: number, buf: Uint8Array, off: number): string {
  return version === 4 ? formatIpv4(buf, off) : formatIpv6(buf, off);
}
