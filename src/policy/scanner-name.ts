/**
 * The name people know a scanner family by, for explanations. Family identifiers come from the defense
 * layer's classifier (lower-case, kebab-case); an unknown one is shown as it is, cleaned. Tool names are
 * the same in every language; the few that are words have a Japanese name too.
 */
import { peopleText } from './people-text.js';

/**
 * ghostguard's own self-test (`ghostguard probe`, the dashboard's "Am I protected?"): the classifier
 * labels it so (src/defense/fingerprint/fingerprints.ts), and explanations say it was no attack.
 */
export const SELF_TEST_FAMILY = 'ghostguard-probe';

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
  [SELF_TEST_FAMILY]: 'ghostguard self-test',
});

const NAMES_JA: Readonly<Record<string, string>> = Object.freeze({
  [SELF_TEST_FAMILY]: 'ghostguard の自己診断',
});

export function scannerName(family: string): string {
  const key = family.toLowerCase();
  return Object.prototype.hasOwnProperty.call(NAMES, key) ? NAMES[key]! : peopleText(family, 30);
}

/** The name in Japanese sentences: the Japanese name where there is one, else the same as `scannerName`. */
export function scannerNameJa(family: string): string {
  const key = family.toLowerCase();
  return Object.prototype.hasOwnProperty.call(NAMES_JA, key) ? NAMES_JA[key]! : scannerName(family);
}
