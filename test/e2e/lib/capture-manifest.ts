/**
 * The story of each capture fixture in test/fixtures/captures/: what record-captures.test.ts does to
 * record it, and so what an analyzer must find in it. The expected facts here come from the
 * recording script's own plan (how many calls it placed, which scanner it ran from where), never
 * from an analyzer; manifest.json is written from this plan when the fixtures are re-recorded.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDR } from './addresses.js';

export const CAPTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'captures');

/** Addresses of the provider in every recording: Kamailio, its SIPp caller and its SIPp gateway. */
export const PROVIDER_ADDRESSES = [ADDR.provider, ADDR.providerCaller, ADDR.providerGateway] as const;

export interface ExpectedFacts {
  /** Distinct Call-IDs of INVITEs sent to the phone from a non-provider address. */
  readonly ghostInviteDialogs: number;
  /** Distinct Call-IDs of INVITEs sent to the phone by the provider (calls it delivered). */
  readonly providerCalls: number;
  /** The scanner tool behind each non-provider source address. */
  readonly scanners: Readonly<Record<string, string>>;
  /** Whether the phone rang (baresip's CALL_INCOMING) for a ghost call, and for a provider call. */
  readonly phoneRang: { readonly ghost: boolean; readonly provider: boolean };
  /** How many ghost calls made the phone ring (CALL_INCOMING events from non-provider callers). */
  readonly ghostRings: number;
  /** Password guesses a scanner made by REGISTER, and the password it found (svcrack only). */
  readonly registerGuesses?: { readonly source: string; readonly user: string; readonly words: readonly string[]; readonly found: string };
  /** The capture holds IPv4 fragments of a SIP message (UDP) / SIP messages split over TCP segments. */
  readonly ipFragments?: boolean;
  readonly tcpSegmentedSip?: boolean;
}

export interface CaptureEntry {
  readonly file: string;
  readonly format: 'pcap' | 'pcapng';
  /** Where tcpdump ran: the lab host and interface. */
  readonly recordedOn: string;
  readonly how: string;
  readonly providerAddresses: readonly string[];
  readonly phoneAddress: string;
  readonly expected: ExpectedFacts;
}

export interface CaptureManifest {
  readonly description: string;
  readonly rerecord: string;
  readonly captures: readonly CaptureEntry[];
}

export const RERECORD_COMMAND = 'GHOSTGUARD_E2E=required GHOSTGUARD_RECORD_CAPTURES=1 npx vitest run --project e2e test/e2e/record-captures.test.ts';

export const SVWAR_EXTENSIONS = '100-103';
export const SVCRACK = { user: 'bob', password: '1004', words: ['0000', '1234', 'password', '1004'] } as const;

const common = { providerAddresses: PROVIDER_ADDRESSES, phoneAddress: ADDR.exposedPhone } as const;
const none = { ghostInviteDialogs: 0, scanners: {}, ghostRings: 0 } as const;

/** The recordings, in the order the recorder makes them. */
export const PLAN: readonly CaptureEntry[] = [
  {
    file: 'provider-calls.pcap',
    format: 'pcap',
    recordedOn: 'phone eth0 (192.0.2.20)',
    how: 'baresip (alice) registers to Kamailio (401 challenge, then 200); SIPp at 203.0.113.11 places two calls through Kamailio: one rings and is cancelled, one is answered and the caller hangs up (BYE).',
    ...common,
    expected: { ...none, providerCalls: 2, phoneRang: { ghost: false, provider: true } },
  },
  {
    file: 'svmap-ghost-call.pcap',
    format: 'pcap',
    recordedOn: 'phone eth0 (192.0.2.20)',
    how: 'svmap -m INVITE from 198.51.100.66 straight to the phone: it rings (180) and the person rejects it (486, never ACKed by svmap); then SIPp places one provider call through Kamailio that rings and is cancelled.',
    ...common,
    expected: { ghostInviteDialogs: 1, providerCalls: 1, scanners: { [ADDR.scanner]: 'svmap' }, phoneRang: { ghost: true, provider: true }, ghostRings: 1 },
  },
  {
    file: 'svwar-extensions.pcap',
    format: 'pcap',
    recordedOn: 'phone eth0 (192.0.2.20)',
    how: `svwar -m INVITE -e ${SVWAR_EXTENSIONS} from 198.51.100.66 straight to the phone: its first INVITE to a random extension rings and is rejected (486), then one INVITE per extension 100..103, each rings; svwar sends no CANCEL, the person rejects every ring afterwards.`,
    ...common,
    expected: { ghostInviteDialogs: 5, providerCalls: 0, scanners: { [ADDR.scanner]: 'svwar' }, phoneRang: { ghost: true, provider: false }, ghostRings: 5 },
  },
  {
    file: 'svcrack-registrar.pcap',
    format: 'pcap',
    recordedOn: 'provider eth0 (203.0.113.10, Kamailio the registrar)',
    how: `svcrack -u ${SVCRACK.user} -d WORDS from 198.51.100.66 against Kamailio: REGISTER digest guesses ${SVCRACK.words.join(', ')} until the 200 OK for ${SVCRACK.password}. No INVITE at all.`,
    ...common,
    expected: {
      ...none,
      providerCalls: 0,
      scanners: { [ADDR.scanner]: 'svcrack' },
      phoneRang: { ghost: false, provider: false },
      registerGuesses: { source: ADDR.scanner, user: SVCRACK.user, words: SVCRACK.words, found: SVCRACK.password },
    },
  },
  {
    file: 'tcp-segments-ip-fragments.pcapng',
    format: 'pcapng',
    recordedOn: 'phone eth0 (192.0.2.20)',
    how: 'The scanner\'s interface MTU and the phone\'s route back to it are set to 300 bytes (GSO off, so the wire shows real segments). SIPp at 198.51.100.66 sends one scanner INVITE over TCP (split over several TCP segments each way), then a raw 1.2 kB svmap-style INVITE over UDP (sent as IPv4 fragments); both ring the phone and are rejected. Recorded by tcpdump, converted with editcap -F pcapng.',
    ...common,
    expected: {
      ghostInviteDialogs: 2,
      providerCalls: 0,
      scanners: { [ADDR.scanner]: 'sipp-invite-flood (TCP) and a svmap-shaped INVITE (UDP)' },
      phoneRang: { ghost: true, provider: false },
      ghostRings: 2,
      ipFragments: true,
      tcpSegmentedSip: true,
    },
  },
];

export function manifestOf(plan: readonly CaptureEntry[]): CaptureManifest {
  return {
    description: 'Real SIP captures recorded in the e2e lab (test/e2e): Kamailio as provider, baresip as a phone exposed on 192.0.2.20, SIPVicious and SIPp as scanners from 198.51.100.66. "expected" comes from what the recording script did, not from an analyzer.',
    rerecord: RERECORD_COMMAND,
    captures: plan,
  };
}
