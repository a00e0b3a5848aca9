/** Every scanner family of the lab, in the order of SCANNER_IDS. */
import { dialer } from './dialers.js';
import { flood } from './flood.js';
import { metasploit } from './metasploit.js';
import { nmap } from './nmap.js';
import type { ScannerFamily } from './scanner-family.js';
import type { ScannerId } from './scanner-id.js';
import { sippts } from './sippts.js';
import { svcrack, svmap, svwar } from './sipvicious.js';

export const SCANNER_FAMILIES: Readonly<Record<ScannerId, ScannerFamily>> = Object.freeze({
  nmap,
  svmap,
  svwar,
  svcrack,
  sippts,
  metasploit,
  dialer,
  flood,
});
