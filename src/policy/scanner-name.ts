/**
 * The name people know a scanner family by, for explanations. Family identifiers come from the defense
 * layer's classifier (lower-case, kebab-case); an unknown one is shown as it is, cleaned.
 */
import { peopleText } from './people-text.js';

const NAMES: Readonly<Record<string, string>> = Object.freeze({
  sipvicious: 'SIPVicious',
  sippts: 'SIPPTS',
  nmap: 'Nmap',
  metasploit: 'Metasploit',
  sipcli: 'sipcli',
  vaxsip: 'VaxSIPUserAgent',
  portsip: 'PortSIP SDK',
  sipp: 'SIPp',
  sipsak: 'sipsak',
  sundayddr: 'sundayddr',
  iwar: 'iWar',
  'toll-fraud': 'toll-fraud',
  'sip-scan': 'unidentified SIP',
});

export function scannerName(family: string): string {
  const key = family.toLowerCase();
  return Object.prototype.hasOwnProperty.call(NAMES, key) ? NAMES[key]! : peopleText(family, 30);
}
