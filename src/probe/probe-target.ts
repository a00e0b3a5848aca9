/**
 * `HOST[:PORT[-PORT]]` as the user writes it for `ghostguard probe`: `192.0.2.20`, `pbx.example.test:5060`,
 * `192.0.2.20:5060-5070`, `[::1]:5060-5070`, or a bare IPv6 literal (`::1`, default port). Ranges are
 * capped (MAX_PROBE_PORTS): the probe is for one's own devices, never a sweep.
 */
import { isIP } from 'node:net';
import { isDomainName, parsePort } from '../config/host-port.js';
import { ProbeError } from './probe-error.js';
import type { ProbeTarget } from './probe-report.js';

export const DEFAULT_SIP_PORT = 5060;
/** At most this many ports per run. */
export const MAX_PROBE_PORTS = 1000;

function bad(text: string, why: string): ProbeError {
  return new ProbeError('GG_ERR_PROBE_TARGET', `"${text.slice(0, 80)}": ${why}`);
}

function port(text: string, whole: string): number {
  const p = parsePort(text);
  if (typeof p === 'string') throw bad(whole, p);
  if (p === 0) throw bad(whole, 'port 0 cannot be probed');
  return p;
}

/** The ports of `5060`, `5060-5070` (inclusive); throws a ProbeError for a reversed or too large range. */
export function parsePorts(text: string, whole = text): number[] {
  const dash = text.indexOf('-');
  if (dash < 0) return [port(text, whole)];
  const first = port(text.slice(0, dash), whole);
  const last = port(text.slice(dash + 1), whole);
  if (last < first) throw bad(whole, `the range ${first}-${last} runs backwards`);
  const count = last - first + 1;
  if (count > MAX_PROBE_PORTS) throw bad(whole, `${count} ports is too many: at most ${MAX_PROBE_PORTS} ports per probe`);
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Parses a probe target; throws a ProbeError (code GG_ERR_PROBE_TARGET) with the reason. */
export function parseProbeTarget(text: string, transport: 'udp' | 'tcp' = 'udp'): ProbeTarget {
  const t = text.trim();
  if (t.length === 0) throw bad(text, 'no host given');
  if (t.length > 300) throw bad(text, 'too long for a host and ports');
  let host: string;
  let ports: number[] = [DEFAULT_SIP_PORT];
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0) throw bad(text, 'an IPv6 address opened with "[" needs a closing "]"');
    host = t.slice(1, close);
    const rest = t.slice(close + 1);
    if (isIP(host) !== 6) throw bad(text, `${host} is not an IPv6 address`);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw bad(text, 'expected ":PORT" after "]"');
      ports = parsePorts(rest.slice(1), text);
    }
  } else if (isIP(t) === 6) {
    host = t;
  } else {
    const colon = t.lastIndexOf(':');
    host = colon < 0 ? t : t.slice(0, colon);
    if (colon >= 0) ports = parsePorts(t.slice(colon + 1), text);
    if (host.includes(':')) throw bad(text, 'write an IPv6 address with a port as [ADDRESS]:PORT');
    if (isIP(host) === 0 && !isDomainName(host)) throw bad(text, `${host} is neither an IP address nor a host name`);
  }
  return { host, ports, transport };
}
