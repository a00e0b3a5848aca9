/** The scanner families the lab replays, in the order their first burst comes. */
export const SCANNER_IDS = ['nmap', 'svmap', 'svwar', 'svcrack', 'sippts', 'metasploit', 'dialer', 'flood'] as const;

export type ScannerId = (typeof SCANNER_IDS)[number];

export function isScannerId(value: string): value is ScannerId {
  return (SCANNER_IDS as readonly string[]).includes(value);
}
