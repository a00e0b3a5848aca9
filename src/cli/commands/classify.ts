/**
 * `ghostguard classify FILE... [--source IP] [--provider ADDR_OR_CIDR]... [--json]`: runs raw SIP
 * requests through the rules of the live guard's WAN leg, with no registrations, and shows the scanner
 * family the fingerprints give each one, what the guard would do with it, and the explanation people
 * would read. Same code path as the guard: parseMessage → the inbound gate (decideInbound, with the
 * built-in classifier) → explainRequest.
 *
 * With no registrations nothing is relayed: a stranger's request is refused `not-from-provider` (and
 * `no-alias` / `unknown-alias`), one from a --provider address only for its Request-URI.
 */
import { validate } from '../../sip/validate.js';
import { AddressSet } from '../../config/address-set.js';
import { parseIp } from '../../config/ip-address.js';
import { classify, type FingerprintLabel } from '../../defense/fingerprint/classify.js';
import type { Explanation } from '../../policy/explain.js';
import { explainRequest } from '../../policy/explain-request.js';
import type { GateContext } from '../../policy/gate-context.js';
import { decideInbound, decideUnparsable } from '../../policy/inbound-gate.js';
import { scannerName } from '../../policy/scanner-name.js';
import type { UnknownAction, Verdict } from '../../policy/verdict.js';
import { isSipError } from '../../sip/errors.js';
import type { SipMessage } from '../../sip/message.js';
import { parseMessage } from '../../sip/parse.js';
import { makeFlow } from '../../transport/flow.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { expandFiles, MAX_MESSAGE_READ, readHead, readProblem, type FileEntry } from '../message-files.js';

/** Never a prefix of a branch in a file: the loop check cannot fire (nothing is relayed anyway). */
const NO_BRANCH_PREFIX = 'z9hG4bK-ghostguard-classify-';
/** The source when neither --source nor a Via names one. */
const UNKNOWN_SOURCE = 'an unknown address';
const SOURCE_HINTS = { option: '', via: ' (from the top Via; --source sets it)', unknown: ' (--source sets it)' } as const;
/** The guard's WAN port in the flow the gate sees (the alias fallback is off, so it does not matter). */
const WAN_PORT = 5060;

export const classifyUsage = `Usage: ghostguard classify FILE... [--source IP] [--provider ADDR_OR_CIDR]... [--json]

Runs raw SIP requests (one per file; a folder means every file in it except
*.md and *.json) through the same rules as the guard's internet side, with no
phones registered, and shows for each: the scanner it looks like (if any), what
the guard would do with it (relay, drop, or reject with a status) and why.

  --source IP              the address the request came from
                           (default: the address in its top Via)
  --provider ADDR_OR_CIDR  an address or block of your provider; repeat for more
  --provider-domain NAME   your provider's name in explanations (default: the first --provider)
  --unknown drop|403|404   what refused requests get, as policy.unknown (default drop)
  --json                   one JSON object per file, each on its own line
Exit status: 0 when every file is a well-formed SIP request, 1 otherwise, 2 on usage errors.`;

export interface ClassifyOptions {
  readonly providers: AddressSet;
  readonly providerDomain: string;
  readonly source: string | null;
  readonly unknownAction: UnknownAction;
}

export interface ClassifyReport {
  readonly file: string;
  readonly family: string | null;
  readonly variant: string | null;
  readonly confidence: number;
  readonly signals: readonly string[];
  readonly source: string | null;
  /** Where `source` came from: --source, the top Via's sent-by host, or nowhere. */
  readonly sourceOrigin: 'option' | 'via' | 'unknown';
  /** What the guard would do; null when the file could not be read. */
  readonly verdict: Verdict['action'] | null;
  readonly status: number | null;
  readonly reasons: readonly string[];
  readonly explanation: Explanation | null;
  readonly error?: { readonly code: string; readonly message: string; readonly offset: number };
  /**
   * The first RFC 3261 fault of a request that parsed but does not validate. The guard checks this
   * only for the provider's requests (a stranger's are refused as strangers), so it is reported here
   * whatever the verdict says.
   */
  readonly invalid?: { readonly code: string; readonly message: string };
}

export async function classifyCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('classify', classifyUsage, args, io, {
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      provider: { type: 'string', multiple: true },
      'provider-domain': { type: 'string' },
      unknown: { type: 'string', default: 'drop' },
      json: { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  if (parsed.positionals.length === 0) return usage('no file given');
  if (v.source !== undefined && parseIp(v.source) === null) return usage(`--source: '${v.source}' is not an IP address`);
  const providerList = v.provider ?? [];
  const providers = AddressSet.parse(providerList);
  if (!providers.ok) return usage(`--provider: ${providers.errors.map((e) => `'${providerList[e.index]}': ${e.message}`).join('; ')}`);
  if (v.unknown !== 'drop' && v.unknown !== '403' && v.unknown !== '404') return usage('--unknown must be drop, 403 or 404');
  const options: ClassifyOptions = {
    providers: providers.set,
    providerDomain: v['provider-domain'] ?? providerList[0] ?? '(no --provider given)',
    source: v.source ?? null,
    unknownAction: v.unknown,
  };

  let failures = 0;
  for (const file of await expandFiles(parsed.positionals, io.cwd)) {
    const report = await classifyFile(file, options);
    if (report.error !== undefined) {
      failures++;
      io.err(`ghostguard classify: ${report.file}: ${report.error.message} [${report.error.code}${report.error.offset > 0 ? ` at byte ${report.error.offset}` : ''}]\n`);
    } else if (report.reasons.includes('malformed') || report.invalid !== undefined) {
      failures++;
    }
    io.out(v.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  }
  return failures === 0 ? 0 : 1;
}

/** One file through the guard's WAN-leg rules. Pure apart from reading the file. */
export async function classifyFile(file: FileEntry, options: ClassifyOptions): Promise<ClassifyReport> {
  if (file.problem !== undefined) return unread(file.shown, file.problem);
  let bytes: Buffer;
  try {
    bytes = await readHead(file.path, MAX_MESSAGE_READ);
  } catch (error) {
    return unread(file.shown, readProblem(error));
  }
  return classifyBytes(file.shown, bytes, options);
}

export function classifyBytes(shown: string, bytes: Buffer, options: ClassifyOptions): ClassifyReport {
  const ctx = gateContext(options);
  const msg = parseMessage(bytes);
  if (isSipError(msg)) {
    const source = options.source ?? UNKNOWN_SOURCE;
    const verdict = decideUnparsable(msg, source, ctx);
    const explanation = explainRequest({ verdict, msg: null, source, providerDomain: options.providerDomain, leg: 'wan', mode: 'would' });
    return {
      ...noLabel(shown, source, options.source === null ? 'unknown' : 'option'),
      ...verdictFields(verdict, explanation),
      error: { code: msg.code, message: msg.message.startsWith('not a SIP message') ? msg.message : `not a SIP message: ${msg.message}`, offset: msg.offset },
    };
  }
  const via = viaHost(msg);
  const source = options.source ?? via ?? UNKNOWN_SOURCE;
  const sourceOrigin = options.source !== null ? 'option' : via !== null ? 'via' : 'unknown';
  const flow = makeFlow('udp', { address: '0.0.0.0', port: WAN_PORT }, { address: source, port: 5060 });
  const verdict = decideInbound({ msg, flow }, ctx);
  const explanation = explainRequest({ verdict, msg, source, providerDomain: options.providerDomain, leg: 'wan', mode: 'would' });
  // The label is shown even when the gate did not ask for it (a malformed request is dropped first).
  const label: FingerprintLabel | null = msg.isRequest ? classify(msg) : null;
  const fault = msg.isRequest ? validate(msg) : null;
  return {
    file: shown,
    family: label?.family ?? null,
    variant: label?.variant ?? null,
    confidence: label?.confidence ?? 0,
    signals: label?.signals ?? [],
    source,
    sourceOrigin,
    ...verdictFields(verdict, explanation),
    ...(fault === null ? {} : { invalid: { code: fault.code, message: fault.message } }),
  };
}

function gateContext(options: ClassifyOptions): GateContext {
  return {
    isProvider: (address) => options.providers.has(address),
    aliasFor: () => null,
    knownDialog: () => false,
    ownRecordRoute: () => false,
    rate: () => 'ok',
    unknownAction: options.unknownAction,
    providerRewritesUri: false,
    isAliasPort: () => false,
    lookupByUser: () => [],
    ownBranchPrefix: NO_BRANCH_PREFIX,
    classify,
  };
}

/** The sent-by host of the top Via: where the request says it comes from (and a reply would go). */
function viaHost(msg: SipMessage): string | null {
  const via = msg.topVia();
  return isSipError(via) ? null : via.host;
}

function verdictFields(verdict: Verdict, explanation: Explanation) {
  return { verdict: verdict.action, status: verdict.status ?? null, reasons: [...verdict.reasons], explanation };
}

function noLabel(file: string, source: string | null, sourceOrigin: ClassifyReport['sourceOrigin']) {
  return { file, family: null, variant: null, confidence: 0, signals: [], source, sourceOrigin };
}

function unread(file: string, problem: { code: string; message: string }): ClassifyReport {
  return { ...noLabel(file, null, 'unknown'), verdict: null, status: null, reasons: [], explanation: null, error: { ...problem, offset: 0 } };
}

function formatReport(r: ClassifyReport): string {
  const lines = [r.file];
  if (r.verdict === null) return `${r.file}: ${r.error?.message ?? 'not read'}\n`;
  const scanner = r.family === null ? 'none recognized' : `${scannerName(r.family)} (${r.family}/${r.variant}), confidence ${r.confidence.toFixed(2)}`;
  lines.push(`  scanner:      ${scanner}`);
  if (r.signals.length > 0) lines.push(`  signals:      ${r.signals.join(', ')}`);
  if (r.source !== null) lines.push(`  source:       ${r.source}${SOURCE_HINTS[r.sourceOrigin]}`);
  const action = r.verdict === 'reject' ? `reject ${r.status}` : r.verdict;
  lines.push(`  verdict:      ${action}${r.reasons.length > 0 ? ` (${r.reasons.join(', ')})` : ''}`);
  if (r.invalid !== undefined) lines.push(`  not valid:    ${r.invalid.message} [${r.invalid.code}]`);
  if (r.explanation !== null) {
    lines.push(`  explanation:  ${r.explanation.en}`);
    lines.push(`  説明:         ${r.explanation.ja}`);
  }
  return `${lines.join('\n')}\n`;
}
