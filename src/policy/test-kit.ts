/**
 * Test helpers for the policy: a guard's world in miniature (provider 203.0.113.10, guard WAN
 * 192.0.2.30:40211, LAN 10.77.0.1, scanner 198.51.100.66) and real-shaped request bytes.
 * Used by the policy's tests only.
 */
import { readFileSync } from 'node:fs';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import type { SipUri, Uri } from '../sip/types.js';
import { makeFlow, type Flow } from '../transport/flow.js';
import { isSipUri } from './alias-token.js';
import type { GateContext } from './gate-context.js';
import type { LanContext } from './lan-gate.js';

export const PROVIDER = '203.0.113.10';
export const PROVIDER_DOMAIN = 'voip.example.test';
export const SCANNER = '198.51.100.66';
export const GUARD_WAN = '192.0.2.30';
export const WAN_PORT = 40211;
export const GUARD_LAN = '10.77.0.1';
export const PHONE = '10.77.0.23';
/** 120 bits in base32: the shape of the guard's alias tokens. */
export const TOKEN = 'k7q2m9x4w3p8r5t6y1zabcde';
export const OWN_BRANCH_PREFIX = 'z9hG4bKgg';

export interface TestBinding {
  readonly aor: string;
  readonly contact: string;
}

export const ALICE: TestBinding = { aor: 'sip:+81398765432@voip.example.test', contact: 'sip:alice@10.77.0.23:5060' };
export const ALICE_SOFTPHONE: TestBinding = { aor: 'sip:+81398765432@voip.example.test', contact: 'sip:alice@10.77.0.24:5062' };
export const BOB: TestBinding = { aor: 'sip:+81398765432@other.example.test', contact: 'sip:bob@10.77.0.25:5060' };

/** A request from lines (CRLF line ends and the empty line added), parsed. */
export function request(lines: readonly string[], body = ''): SipMessage {
  const text = `${lines.join('\r\n')}\r\n\r\n${body}`;
  const msg = parseMessage(Buffer.from(text, 'latin1'));
  if (isSipError(msg)) throw new Error(`test message does not parse: ${msg.code} ${msg.message}`);
  return msg;
}

export function corpusMessage(name: string): SipMessage {
  const bytes = readFileSync(new URL(`../../bench/corpus/${name}`, import.meta.url));
  const msg = parseMessage(bytes);
  if (isSipError(msg)) throw new Error(`corpus message ${name} does not parse: ${msg.code}`);
  return msg;
}

/** The headers of the provider's INVITE to our alias, to vary per test. */
export function providerInviteLines(requestUri = `sip:${TOKEN}@${GUARD_WAN}:${WAN_PORT}`, extra: readonly string[] = []): string[] {
  return [
    `INVITE ${requestUri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROVIDER}:5060;branch=z9hG4bK-prov-77aa01;rport`,
    ...extra,
    'Max-Forwards: 69',
    `From: "Carol" <sip:+81312345678@${PROVIDER_DOMAIN}>;tag=prov-f1`,
    `To: <sip:+81398765432@${PROVIDER_DOMAIN}>`,
    `Call-ID: 7f3a9c1e@${PROVIDER}`,
    'CSeq: 101 INVITE',
    `Contact: <sip:+81312345678@${PROVIDER}:5060>`,
    `Record-Route: <sip:${PROVIDER};lr>`,
    'User-Agent: ExampleVoIP SBC',
    'Content-Length: 0',
  ];
}

export function wanFlow(from: string, port = 5060, localPort = WAN_PORT): Flow {
  return makeFlow('udp', { address: GUARD_WAN, port: localPort }, { address: from, port });
}

export function lanFlow(from: string): Flow {
  return makeFlow('udp', { address: GUARD_LAN, port: 5060 }, { address: from, port: 5060 });
}

function host(uri: Uri): string | null {
  return isSipUri(uri) ? uri.host.toLowerCase() : null;
}

/** Dialog key as the test context stores them. */
export function dialogKey(callId: string, localTag: string | null, remoteTag: string | null): string {
  return `${callId}|${localTag ?? ''}|${remoteTag ?? ''}`;
}

export interface WorldOptions {
  dialogs?: readonly string[];
  byUser?: Readonly<Record<string, readonly TestBinding[]>>;
  limited?: readonly string[];
}

export function gateContext(options: WorldOptions = {}, overrides: Partial<GateContext<TestBinding>> = {}): GateContext<TestBinding> {
  const dialogs = new Set(options.dialogs ?? []);
  const limited = new Set(options.limited ?? []);
  return {
    isProvider: (address) => address === PROVIDER,
    aliasFor: (token) => (token === TOKEN ? ALICE : null),
    knownDialog: (callId, localTag, remoteTag) => dialogs.has(dialogKey(callId, localTag, remoteTag)),
    ownRecordRoute: (uri) => host(uri) === GUARD_WAN && isSipUri(uri) && uri.params.has('gg'),
    rate: (address) => (limited.has(address) ? 'limited' : 'ok'),
    unknownAction: 'drop',
    providerRewritesUri: false,
    isAliasPort: (port) => port === WAN_PORT,
    lookupByUser: (user) => options.byUser?.[user] ?? [],
    ownBranchPrefix: OWN_BRANCH_PREFIX,
    ...overrides,
  };
}

export function lanContext(options: { dialogs?: readonly string[] } = {}): LanContext {
  const dialogs = new Set(options.dialogs ?? []);
  return {
    isAllowed: (address) => address.startsWith('10.77.0.'),
    isProviderDestination: (uri) => {
      const h = host(uri);
      return h === PROVIDER_DOMAIN || h === PROVIDER;
    },
    isOwnUri: (uri) => {
      const h = host(uri);
      return h === GUARD_LAN || h === GUARD_WAN;
    },
    knownDialog: (callId, localTag, remoteTag) => dialogs.has(dialogKey(callId, localTag, remoteTag)),
    ownBranchPrefix: OWN_BRANCH_PREFIX,
  };
}

export function isOwnWanUri(uri: SipUri): boolean {
  return uri.host === GUARD_WAN;
}
