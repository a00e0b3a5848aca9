import { beforeEach, describe, expect, it } from 'vitest';
import type { AnalysisSummary } from './analysis.js';
import { analyzeCaptures } from './analyzer.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { formatHtmlReport } from './html-report.js';
import { formatTerminalReport } from './terminal-report.js';
import { captured, invite, PHONE, PROVIDER, register, resetKit, response, SCANNER, svmapInvite } from './test-kit.js';

const EVIL = '<script>alert(1)</script>&"\'';

async function summaryOf(list: CapturedMessage[]): Promise<AnalysisSummary> {
  return (await analyzeCaptures(async function* () {
    yield* list;
  })).summary;
}

function scene(): CapturedMessage[] {
  const reg = register(PHONE, { callId: 'r' });
  const ghost = svmapInvite(PHONE, SCANNER, 'g1').replace('"sipvicious"<sip:100@1.1.1.1>;tag', `"${EVIL}"<sip:100@1.1.1.1>;tag`);
  const call = invite(PHONE, PROVIDER, { callId: 'c' });
  const start = Date.UTC(2026, 10, 27, 22, 0, 0);
  return [
    captured(reg, PHONE, PROVIDER, { at: start }),
    captured(response(reg, 200, 'OK'), PROVIDER, PHONE, { at: start + 5 }),
    captured(ghost, SCANNER, PHONE, { at: start + 60_000 }),
    captured(response(ghost, 180, 'Ringing'), PHONE, SCANNER, { at: start + 60_010 }),
    captured(call, PROVIDER, PHONE, { at: start + 3_600_000 }),
  ];
}

/** Checks that every non-void element is closed in order; returns the problems. */
function tagBalance(page: string): string[] {
  const VOID = new Set(['meta', 'input', 'br', 'img', 'link', 'hr']);
  const stack: string[] = [];
  const problems: string[] = [];
  const body = page.replace(/<!DOCTYPE html>/i, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    const tag = name!.toLowerCase();
    if (close === '/') {
      const open = stack.pop();
      if (open !== tag) problems.push(`</${tag}> closes <${open}>`);
    } else if (self !== '/' && !VOID.has(tag)) stack.push(tag);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' ')}`);
  return problems;
}

describe('reports', () => {
  beforeEach(() => resetKit());

  it('the HTML report is self-contained, well-formed, escaped, and carries both languages', async () => {
    const s = await summaryOf(scene());
    const page = formatHtmlReport(s, [`cap${EVIL}.pcap`]);
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(tagBalance(page)).toEqual([]);
    // No external resource of any kind.
    expect(page).not.toMatch(/\b(?:src|href|action|srcset)\s*=|@import|url\(|<script|<link|<iframe|<img/i);
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toMatch(/<svg class="timeline"[^>]*viewBox/);
    expect((page.match(/<rect class="g"/g) ?? []).length).toBe(1);
    expect(page).toMatch(/<span lang="en">ghostguard would have blocked a call[^<]*Your phone would not have rung\.<\/span>/);
    expect(page).toMatch(/<span lang="ja">ghostguard を使っていれば、[^<]*ブロックされていたはずです[^<]*電話機は鳴らなかったはずです。<\/span>/);
    expect(page).not.toMatch(/did not ring|鳴っていません/);
    expect(page).toContain(`<td>${SCANNER}</td><td>1</td>`);
  });

  it('the HTML report of an empty capture is still a well-formed page', async () => {
    const page = formatHtmlReport(await summaryOf([]), ['empty.pcap']);
    expect(tagBalance(page)).toEqual([]);
    expect(page).toContain('No messages to chart.');
  });

  it('the terminal report says what was inferred, counts calls and names the ghost calls that rang', async () => {
    const text = formatTerminalReport(await summaryOf(scene()), ['a.pcap']);
    expect(text).toContain('Analyzed 5 SIP messages from 1 capture file (2026-11-27 22:00:00 → 2026-11-27 23:00:00 UTC).');
    expect(text).toContain(`Provider: ${PROVIDER} (inferred; domain voip.example.test)`);
    expect(text).toContain('Calls: provider 1 · ghost 1 · outgoing 0 · other 0');
    expect(text).toContain('Ghost calls: 1 — the phone rang for 1 and was picked up for 0.');
    expect(text).toMatch(new RegExp(`rang: 2026-11-27 22:01:00 from ${SCANNER.replace(/\./g, '\\.')}`));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('the terminal report says plainly when no provider was found', async () => {
    const text = formatTerminalReport(await summaryOf([captured(svmapInvite(PHONE, SCANNER, 'x'), SCANNER, PHONE)]), ['a.pcap']);
    expect(text).toContain('Provider: none found');
    expect(text).toContain('Give --provider ADDR');
    expect(text).toContain('Ghost calls: 1');
  });
});
