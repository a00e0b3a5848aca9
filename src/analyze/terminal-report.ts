/**
 * The terminal summary of `ghostguard analyze`: what was inferred and from what, calls by verdict, the
 * ghost calls by scanner family and source, which of them rang the phone, and a few explanations.
 * Every string from the capture that reaches it was cleaned by the policy layer (peopleText).
 */
import { scannerName } from '../policy/scanner-name.js';
import { CALL_VERDICTS, type AnalysisSummary } from './analysis.js';

const SHOWN_SOURCES = 10;
const SHOWN_EXPLANATIONS = 4;
const SHOWN_PHONES = 5;

export function formatTerminalReport(s: AnalysisSummary, inputs: readonly string[], fileCount = inputs.length): string {
  const lines: string[] = [];
  const span = s.first === null ? '' : ` (${clock(s.first)} → ${clock(s.last ?? s.first)} UTC)`;
  lines.push(`Analyzed ${count(s.messages, 'SIP message')} from ${count(fileCount, 'capture file')}${span}.`, '');

  if (s.provider.origin === 'none') {
    lines.push('Provider: none found (no REGISTER answered 2xx or 401/407, no answered call with Record-Route).');
    lines.push('  So every INVITE to the phone side counts as a ghost call. Give --provider ADDR to name it.');
  } else {
    const how = s.provider.origin === 'option' ? 'given with --provider' : 'inferred';
    lines.push(`Provider: ${s.provider.names.join(', ')} (${how}; domain ${s.provider.domain})`);
    if (s.provider.origin === 'inferred') for (const e of s.provider.evidence) lines.push(`  ${e}`);
  }
  if (s.phones.length === 0) lines.push('Phones: none seen registering or calling through the provider: every destination counts as the phone side.');
  else {
    lines.push(`Phones: ${s.phones.slice(0, SHOWN_PHONES).join(', ')}${s.phones.length > SHOWN_PHONES ? ` and ${s.phones.length - SHOWN_PHONES} more` : ''}`);
    for (const e of s.phoneEvidence.slice(0, SHOWN_PHONES)) lines.push(`  ${e}`);
  }
  lines.push('');

  for (const r of s.scannerRegistrations) {
    lines.push(`WARNING: ${r.source} (${scannerName(r.family)} scanner) registered${r.user === null ? '' : ` as '${r.user}'`} at ${r.registrar} (${clock(r.time)}): a password was guessed. Change it now.`);
  }
  if (s.scannerRegistrationsMore > 0) lines.push(`WARNING: and ${s.scannerRegistrationsMore} more scanner registrations were accepted.`);
  if (s.scannerRegistrations.length > 0) lines.push('');
  lines.push(`Calls: ${CALL_VERDICTS.map((v) => `${v} ${s.callsByVerdict[v]}`).join(' · ')}`);
  lines.push(`Messages: ${CALL_VERDICTS.map((v) => `${v} ${s.messagesByVerdict[v]}`).join(' · ')}${s.unparsable > 0 ? ` (${s.unparsable} not parsable as SIP)` : ''}`);
  if (s.callsByVerdict.provider > 0) {
    lines.push(`Provider calls: ${s.callsByVerdict.provider} — the phone rang for ${s.rangByVerdict.provider} and was picked up for ${s.answeredByVerdict.provider}.`);
  }
  const g = s.ghost;
  if (g.calls === 0) lines.push('Ghost calls: none.');
  else {
    lines.push(`Ghost calls: ${g.calls} — the phone rang for ${g.rang} and was picked up for ${g.answered}.`);
    const families = Object.entries(g.byFamily).map(([f, n]) => `${f === 'unknown' ? 'no known scanner' : scannerName(f)} ${n}`);
    lines.push(`  by scanner: ${families.join(', ')}`);
    const rang = s.ghostCalls.filter((c) => c.rang || c.answered).slice(0, 5);
    for (const c of rang) lines.push(`  rang: ${clock(c.time)} from ${c.source} to ${c.phone}${c.caller === null ? '' : ` as '${c.caller}'`}${c.answered ? ' (picked up)' : ''}`);
  }

  if (s.sources.length > 0) {
    lines.push('', 'Top sources (requests a guard would have dropped):');
    for (const src of s.sources.slice(0, SHOWN_SOURCES)) {
      const fam = src.families.length > 0 ? `  [${src.families.map(scannerName).join(', ')}]` : '';
      lines.push(`  ${src.source.padEnd(16)} ${count(src.ghostCalls, 'ghost call')}, ${count(src.requests, 'request')}, rang ${src.rang}${fam}  ${clock(src.first)}–${clock(src.last)}`);
    }
    if (s.ghost.otherSources > 0) lines.push(`  ... and ${s.ghost.otherSources} more sources (counted, not listed)`);
  }

  if (s.explanations.length > 0) {
    lines.push('', 'What ghostguard would have done:');
    for (const e of s.explanations.slice(0, SHOWN_EXPLANATIONS)) {
      lines.push(`  ${e.count}× ${e.en}`);
      lines.push(`     ${e.ja}`);
    }
  }
  if (s.callsForgotten > 0) lines.push('', `Note: ${s.callsForgotten} calls were forgotten to bound memory; their late responses count as other.`);
  return `${lines.join('\n')}\n`;
}

function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `2026-11-27 22:00:01` from an ISO time. */
function clock(iso: string): string {
  return iso.length >= 19 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso;
}
