/**
 * `host[:port]` as written in the config: `203.0.113.10:5060`, `voip.example.test`, `[2001:db8::1]:5060`,
 * or a bare IPv6 literal without a port (`2001:db8::1`, brackets are needed only to add a port).
 */
import { formatIp, parseIp } from './ip-address.js';

export type HostKind = 'ipv4' | 'ipv6' | 'domain';

export interface HostPort {
  /** An address in canonical form (no brackets), or a lower-cased domain name without a trailing dot. */
  readonly host: string;
  readonly kind: HostKind;
  /** Null when no port was written. */
  readonly port: number | null;
}

/** RFC 1035 §2.3.1 (letters, digits, hyphens; labels of 1..63; at most 253 in all), RFC 1123 digits first. */
export function isDomainName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  let labelLength = 0;
  let previous = 46; // '.'
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      if (labelLength === 0 || previous === 45) return false;
      labelLength = 0;
    } else {
      const letterOrDigit = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      if (c === 45) {
        if (labelLength === 0) return false;
      } else if (!letterOrDigit) {
        return false;
      }
      labelLength++;
      if (labelLength > 63) return false;
    }
    previous = c;
  }
  return labelLength > 0 && previous !== 45;
}

/** Parses a port number 0..65535 (decimal digits only); returns a message when it is not one. */
export function parsePort(text: string): number | string {
  if (text.length === 0) return 'the port is empty';
  if (text.length > 6) return `port ${text} is out of range (0..65535)`;
  let port = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return `"${text}" is not a port number`;
    port = port * 10 + (c - 48);
  }
  return port > 65535 ? `port ${port} is out of range (0..65535)` : port;
}

/** Parses `host[:port]`; returns a message saying what is wrong when it is not one. */
export function parseHostPort(text: string): HostPort | string {
  const value = text.trim();
  if (value.length === 0) return 'the address is empty';
  let hostText: string;
  let portText: string | null = null;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return `"${value}" has "[" without "]"`;
    hostText = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest.length > 0) {
      if (!rest.startsWith(':')) return `unexpected "${rest}" after "]" (expected ":port")`;
      portText = rest.slice(1);
    }
    const ip = parseIp(hostText);
    if (ip === null || ip.family !== 6) return `"${hostText}" is not an IPv6 address`;
  } else {
    const first = value.indexOf(':');
    if (first >= 0 && value.indexOf(':', first + 1) >= 0) {
      // Two or more colons: a bare IPv6 literal, which cannot carry a port.
      const ip = parseIp(value);
      if (ip === null || ip.family !== 6) {
        return `"${value}" is not an IPv6 address (write an IPv6 address with a port as "[2001:db8::1]:5060")`;
      }
      return { host: formatIp(ip), kind: 'ipv6', port: null };
    }
    hostText = first < 0 ? value : value.slice(0, first);
    if (first >= 0) portText = value.slice(first + 1);
  }
  let port: number | null = null;
  if (portText !== null) {
    const parsed = parsePort(portText);
    if (typeof parsed === 'string') return parsed;
    port = parsed;
  }
  const ip = parseIp(hostText);
  if (ip !== null) return { host: formatIp(ip), kind: ip.family === 4 ? 'ipv4' : 'ipv6', port };
  if (looksLikeIPv4(hostText)) return `"${hostText}" is not a valid IPv4 address`;
  if (!isDomainName(hostText)) return `"${hostText}" is neither an IP address nor a host name`;
  const host = hostText.toLowerCase();
  return { host: host.endsWith('.') ? host.slice(0, -1) : host, kind: 'domain', port };
}

/** Digits and dots only: meant as an IPv4 address, so "300.1.2.3" is reported as such, not as a name. */
function looksLikeIPv4(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return false;
  }
  return true;
}

/** `host:port`, with brackets around IPv6; the host alone when there is no port. */
export function formatHostPort(host: string, kind: HostKind, port: number | null): string {
  const h = kind === 'ipv6' ? `[${host}]` : host;
  return port === null ? (kind === 'ipv6' ? host : h) : `${h}:${port}`;
}
