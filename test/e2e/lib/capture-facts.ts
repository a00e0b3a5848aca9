/**
 * Facts about a recorded capture, read with tshark (never with ghostguard's own analyzer): the INVITE
 * dialogs sent to the phone (by Call-ID and source), which of them came from the provider, whether
 * the phone answered a ghost INVITE with a ring, REGISTER guesses, IP fragments and TCP segments that
 * carry SIP. The recorder (record-captures.test.ts) checks that what it did shows up in the file.
 */
import { runChild } from './child.js';
import { toolPath } from './tools.js';

export interface CaptureFacts {
  /** Distinct Call-IDs of INVITEs to the phone, per source address. */
  readonly inviteCallIdsBySource: Readonly<Record<string, readonly string[]>>;
  /** Distinct Call-IDs of INVITEs to the phone from a non-provider source. */
  readonly ghostInviteDialogs: number;
  /** Distinct Call-IDs of INVITEs to the phone from a provider address. */
  readonly providerCalls: number;
  /** User-Agent of the first INVITE or REGISTER per non-provider source. */
  readonly userAgentBySource: Readonly<Record<string, string>>;
  /** Ghost Call-IDs the phone answered with 180 Ringing. */
  readonly ghostDialogsRinging: number;
  /** REGISTER requests per source (any destination). */
  readonly registersBySource: Readonly<Record<string, number>>;
  /** Frames that are IPv4 fragments (more-fragments set or an offset). */
  readonly ipFragments: number;
  /** SIP messages over TCP that tshark had to reassemble from more than one segment. */
  readonly tcpReassembledSip: number;
}

async function tshark(file: string, home: string, filter: string, fields: readonly string[]): Promise<string[][]> {
  const args = ['-n', '-r', file, '-d', 'udp.port==5060-5099,sip', '-d', 'tcp.port==5060-5099,sip', '-Y', filter, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|'];
  for (const f of fields) args.push('-e', f);
  const r = await runChild('tshark-facts', toolPath('tshark'), args, 30_000, { env: { ...process.env, HOME: home } });
  if (r.code !== 0) throw new Error(`e2e: tshark failed on ${file}:\n${r.output}`);
  return r.output
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((cols) => cols.length === fields.length && /^\d/.test(cols[0] ?? ''));
}

function addTo(map: Record<string, Set<string>>, key: string, value: string): void {
  (map[key] ??= new Set()).add(value);
}

/**
 * Reads the facts of `file`. A frame may hold several SIP messages (TCP), so the per-message fields
 * come aggregated ("a|b") and are split again here.
 */
export async function captureFacts(file: string, home: string, o: { phone: string; providers: readonly string[] }): Promise<CaptureFacts> {
  const rows = await tshark(file, home, 'sip', ['ip.src', 'ip.dst', 'sip.Method', 'sip.Status-Code', 'sip.Call-ID', 'sip.User-Agent', 'sip.CSeq.method']);
  const invites: Record<string, Set<string>> = {};
  const ringing = new Set<string>();
  const registers: Record<string, number> = {};
  const agents: Record<string, string> = {};
  for (const [src = '', dst = '', methods = '', statuses = '', callIds = '', uas = '', cseqs = ''] of rows) {
    const callId = callIds.split('|');
    const method = methods.split('|');
    const status = statuses.split('|');
    const cseq = cseqs.split('|');
    // One row per frame; with several messages in a frame, requests and responses list their own fields.
    method.forEach((m, i) => {
      if (m === 'INVITE' && dst === o.phone) addTo(invites, src, callId[i] ?? '');
      if (m === 'REGISTER') registers[src] = (registers[src] ?? 0) + 1;
      if ((m === 'INVITE' || m === 'REGISTER') && !o.providers.includes(src) && agents[src] === undefined) agents[src] = uas.split('|')[0] ?? '';
    });
    if (src === o.phone) {
      status.forEach((s, i) => {
        if (s === '180' && (cseq[i] ?? cseq[0]) === 'INVITE' && !o.providers.includes(dst)) ringing.add(callId[callId.length - status.length + i] ?? '');
      });
    }
  }
  const inviteCallIdsBySource = Object.fromEntries(Object.entries(invites).map(([k, v]) => [k, [...v].sort()]));
  const count = (provider: boolean): number =>
    Object.entries(invites)
      .filter(([src]) => o.providers.includes(src) === provider)
      .reduce((n, [, ids]) => n + ids.size, 0);
  const fragments = await tshark(file, home, 'ip.flags.mf == 1 || ip.frag_offset > 0', ['frame.number']);
  const reassembled = await tshark(file, home, 'sip && tcp.segments', ['frame.number']);
  return {
    inviteCallIdsBySource,
    ghostInviteDialogs: count(false),
    providerCalls: count(true),
    userAgentBySource: agents,
    ghostDialogsRinging: ringing.size,
    registersBySource: registers,
    ipFragments: fragments.length,
    tcpReassembledSip: reassembled.length,
  };
}
