/**
 * The requests the probe sends. The INVITE is shaped as svmap sends it (test/fixtures/scanners/
 * sipvicious-svmap-invite.sip: Request-URI sip:100@<target>, To = From = sip:100@…, no body,
 * Accept: application/sdp), so a device that rings for svmap rings for the probe too; but it says
 * who it is (User-Agent ghostguard-probe) and its Call-ID, tag and branch are random.
 *
 * Clean-up requests follow RFC 3261: CANCEL (§9.1) and the ACK of a non-2xx final (§17.1.1.3) reuse
 * the INVITE's Via branch, Request-URI, From and Call-ID; the ACK of a 2xx (§13.2.2.4) and the BYE
 * (§15) are new transactions in the dialog, to the Contact of the 2xx.
 */
import { randomBytes } from 'node:crypto';

export const PROBE_USER_AGENT = 'ghostguard-probe';
/** The user svmap asks for ("100"): a catch-all phone rings for it. */
export const PROBE_EXTENSION = '100';

export interface LocalEnd {
  readonly transport: 'udp' | 'tcp';
  readonly address: string;
  readonly port: number;
}

/** The fixed parts of one probe exchange (one INVITE or one OPTIONS and what follows it). */
export interface ProbeDialog {
  readonly method: 'INVITE' | 'OPTIONS';
  readonly requestUri: string;
  readonly callId: string;
  readonly fromTag: string;
  readonly branch: string;
  readonly local: LocalEnd;
}

/** A host as it goes into a URI or a Via: IPv6 in brackets. */
export function uriHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export function newDialog(method: 'INVITE' | 'OPTIONS', targetHost: string, targetPort: number, local: LocalEnd): ProbeDialog {
  const port = targetPort === 5060 ? '' : `:${targetPort}`;
  return {
    method,
    requestUri: `sip:${PROBE_EXTENSION}@${uriHost(targetHost)}${port}`,
    callId: `${hex(12)}@ghostguard-probe`,
    fromTag: hex(8),
    branch: `z9hG4bK-gg${hex(10)}`,
    local,
  };
}

function via(d: ProbeDialog, branch: string): string {
  return `Via: SIP/2.0/${d.local.transport.toUpperCase()} ${uriHost(d.local.address)}:${d.local.port};branch=${branch};rport`;
}

function fromHeader(d: ProbeDialog): string {
  return `From: "${PROBE_USER_AGENT}"<sip:${PROBE_EXTENSION}@${uriHost(d.local.address)}>;tag=${d.fromTag}`;
}

function finish(lines: string[]): Buffer {
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** The INVITE or OPTIONS that opens the exchange. */
export function initialRequest(d: ProbeDialog): Buffer {
  return finish([
    `${d.method} ${d.requestUri} SIP/2.0`,
    via(d, d.branch),
    'Max-Forwards: 70',
    `To: "${PROBE_USER_AGENT}"<sip:${PROBE_EXTENSION}@${uriHost(d.local.address)}>`,
    fromHeader(d),
    `User-Agent: ${PROBE_USER_AGENT}`,
    `Call-ID: ${d.callId}`,
    `Contact: <sip:${PROBE_EXTENSION}@${uriHost(d.local.address)}:${d.local.port}${d.local.transport === 'tcp' ? ';transport=tcp' : ''}>`,
    `CSeq: 1 ${d.method}`,
    'Accept: application/sdp',
  ]);
}

/** RFC 3261 §9.1: CANCEL of a ringing INVITE: same Request-URI, branch, From, To (no tag), Call-ID. */
export function cancelRequest(d: ProbeDialog): Buffer {
  return finish([
    `CANCEL ${d.requestUri} SIP/2.0`,
    via(d, d.branch),
    'Max-Forwards: 70',
    `To: "${PROBE_USER_AGENT}"<sip:${PROBE_EXTENSION}@${uriHost(d.local.address)}>`,
    fromHeader(d),
    `User-Agent: ${PROBE_USER_AGENT}`,
    `Call-ID: ${d.callId}`,
    'CSeq: 1 CANCEL',
  ]);
}

/** RFC 3261 §17.1.1.3: the ACK of a non-2xx final: the INVITE's branch, the response's To (with its tag). */
export function ackNon2xx(d: ProbeDialog, responseTo: string): Buffer {
  return finish([
    `ACK ${d.requestUri} SIP/2.0`,
    via(d, d.branch),
    'Max-Forwards: 70',
    `To: ${responseTo}`,
    fromHeader(d),
    `User-Agent: ${PROBE_USER_AGENT}`,
    `Call-ID: ${d.callId}`,
    'CSeq: 1 ACK',
  ]);
}

/** What a 2xx establishes (RFC 3261 §12.1.2): the remote target, the route set, the To with its tag. */
export interface AnsweredDialog {
  readonly remoteTarget: string;
  readonly routes: readonly string[];
  readonly responseTo: string;
}

/** RFC 3261 §13.2.2.4 (ACK of a 2xx, its own branch, CSeq 1) and §15.1.1 (BYE, CSeq 2). */
export function inDialogRequest(d: ProbeDialog, dialog: AnsweredDialog, method: 'ACK' | 'BYE'): Buffer {
  const lines = [`${method} ${dialog.remoteTarget} SIP/2.0`, via(d, `z9hG4bK-gg${hex(10)}`), 'Max-Forwards: 70'];
  for (const route of dialog.routes) lines.push(`Route: ${route}`);
  lines.push(`To: ${dialog.responseTo}`, fromHeader(d), `User-Agent: ${PROBE_USER_AGENT}`, `Call-ID: ${d.callId}`, `CSeq: ${method === 'ACK' ? 1 : 2} ${method}`);
  return finish(lines);
}
