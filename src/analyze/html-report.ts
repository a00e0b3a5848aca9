/**
 * `--html FILE`: one self-contained page (inline CSS and SVG; no script, font, image or link to
 * anything outside it) with what was inferred, calls by verdict, a timeline chart, the ghost calls that
 * rang, a per-source table and the explanations in English and Japanese (switched with two radio
 * buttons and CSS). Readable on a phone: fluid width, tables scroll sideways.
 * Everything from the capture is escaped (html-escape.ts).
 */
import { scannerName } from '../policy/scanner-name.js';
import { CALL_VERDICTS, type AnalysisSummary } from './analysis.js';
import { html } from './html-escape.js';
import { timelineSvg } from './html-timeline.js';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP",sans-serif;color:#1d2430;background:#f6f7f9}
header,main{max-width:60rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.4rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
section{background:#fff;border-radius:8px;padding:.5rem 1rem 1rem;margin:1rem 0;box-shadow:0 1px 2px #0002}
.cards{display:flex;flex-wrap:wrap;gap:.5rem}
.card{flex:1 1 7rem;background:#eef1f5;border-radius:6px;padding:.5rem;text-align:center}
.card b{display:block;font-size:1.5rem}
.card.ghost{background:#fde8e8;color:#8a1c1c}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;white-space:nowrap}
td.wrap{white-space:normal}
svg.timeline{width:100%;height:10rem;display:block}
.axis-labels{display:flex;justify-content:space-between;font-size:.8rem;color:#555}
svg .m{fill:#9aa5b4}
svg .g{fill:#d63a3a}
svg .axis{stroke:#888}
.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;vertical-align:middle}
.lang{position:absolute;opacity:0}
.switch{float:right;margin-top:1rem}
.switch label{border:1px solid #99a;border-radius:4px;padding:.1rem .6rem;cursor:pointer;margin-left:.3rem;background:#fff}
#lang-en:checked ~ header label[for=lang-en],#lang-ja:checked ~ header label[for=lang-ja]{background:#1d2430;color:#fff}
[lang=ja]{display:none}
#lang-ja:checked ~ main [lang=ja]{display:revert}
#lang-ja:checked ~ main [lang=en]{display:none}
ul{padding-left:1.2rem}
.muted{color:#666}
.warn{background:#8a1c1c;color:#fff;border-radius:6px;padding:.5rem}
`;

export function formatHtmlReport(s: AnalysisSummary, files: readonly string[]): string {
  const title = 'ghostguard analyze';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<input class="lang" type="radio" name="lang" id="lang-en" checked>',
    '<input class="lang" type="radio" name="lang" id="lang-ja">',
    '<header>',
    '<div class="switch"><label for="lang-en">English</label><label for="lang-ja">日本語</label></div>',
    `<h1>${html(title)}</h1>`,
    `<p class="muted">${html(files.join(', '))}${s.first === null ? '' : ` · ${html(s.first)} → ${html(s.last ?? s.first)}`}</p>`,
    '</header>',
    '<main>',
    overview(s),
    timeline(s),
    ghostCalls(s),
    sources(s),
    explanations(s),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function overview(s: AnalysisSummary): string {
  const cards = CALL_VERDICTS.map((v) => `<div class="card${v === 'ghost' ? ' ghost' : ''}"><b>${s.callsByVerdict[v]}</b>${html(v)} calls</div>`);
  cards.push(`<div class="card ghost"><b>${s.ghost.rang}</b>ghost calls rang</div>`, `<div class="card"><b>${s.messages}</b>SIP messages</div>`);
  const provider =
    s.provider.origin === 'none'
      ? '<p>Provider: none found, so every INVITE to the phone side counts as a ghost call (name it with <code>--provider</code>).</p>'
      : `<p>Provider: <b>${html(s.provider.names.join(', '))}</b> (${s.provider.origin === 'option' ? 'given with --provider' : 'inferred'}; domain ${html(s.provider.domain)})</p>${list(s.provider.origin === 'inferred' ? s.provider.evidence : [])}`;
  const phones = s.phones.length === 0 ? '<p>Phones: none seen registering or calling through the provider.</p>' : `<p>Phones: ${html(s.phones.slice(0, 20).join(', '))}</p>${list(s.phoneEvidence.slice(0, 10))}`;
  const families = Object.entries(s.ghost.byFamily).map(([f, n]) => `${f === 'unknown' ? 'no known scanner' : scannerName(f)}: ${n}`);
  const cracked = s.scannerRegistrations.map(
    (r) => `<p class="warn">${html(`${r.source} (${scannerName(r.family)} scanner) registered${r.user === null ? '' : ` as '${r.user}'`} at ${r.registrar} (${r.time}): a password was guessed. Change it now.`)}</p>`,
  );
  return `<section><h2>Summary</h2>${cracked.join('')}<div class="cards">${cards.join('')}</div>${provider}${phones}${families.length > 0 ? `<p>Ghost calls by scanner:</p>${list(families)}` : ''}${s.unparsable > 0 ? `<p>${s.unparsable} SIP-looking messages could not be parsed.</p>` : ''}</section>`;
}

function timeline(s: AnalysisSummary): string {
  const legend = '<p class="legend"><span style="background:#9aa5b4"></span>SIP messages<span style="background:#d63a3a"></span>ghost calls</p>';
  return `<section><h2>Timeline</h2>${timelineSvg(s.timeline.buckets, s.timeline.bucketMs)}${legend}</section>`;
}

function ghostCalls(s: AnalysisSummary): string {
  if (s.ghostCalls.length === 0) return '';
  const rows = s.ghostCalls.map(
    (c) =>
      `<tr><td>${html(c.time.replace('T', ' ').slice(0, 23))}</td><td>${html(c.source)}</td><td>${html(c.phone)}</td><td>${html(c.caller ?? '')}</td><td>${html(c.family === null ? '' : scannerName(c.family))}</td><td>${c.answered ? 'picked up' : c.rang ? 'rang' : 'no'}</td></tr>`,
  );
  const more = s.ghost.calls > s.ghostCalls.length ? `<p class="muted">The first ${s.ghostCalls.length} of ${s.ghost.calls} ghost calls.</p>` : '';
  return `<section><h2>Ghost calls</h2><div class="scroll"><table><thead><tr><th>time (UTC)</th><th>from</th><th>to phone</th><th>caller</th><th>scanner</th><th>phone rang</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}</section>`;
}

function sources(s: AnalysisSummary): string {
  if (s.sources.length === 0) return '';
  const rows = s.sources.map(
    (src) =>
      `<tr><td>${html(src.source)}</td><td>${src.ghostCalls}</td><td>${src.requests}</td><td>${src.rang}</td><td>${src.answered}</td><td class="wrap">${html(src.families.map(scannerName).join(', '))}</td><td>${html(src.first.slice(11, 19))}–${html(src.last.slice(11, 19))}</td></tr>`,
  );
  const more = s.ghost.otherSources > 0 ? `<p class="muted">and ${s.ghost.otherSources} more sources, counted but not listed.</p>` : '';
  return `<section><h2>Sources</h2><div class="scroll"><table><thead><tr><th>source</th><th>ghost calls</th><th>requests</th><th>rang</th><th>picked up</th><th>scanner</th><th>seen (UTC)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}</section>`;
}

function explanations(s: AnalysisSummary): string {
  if (s.explanations.length === 0) return '';
  const items = s.explanations.map((e) => `<li><b>${e.count}×</b> <span lang="en">${html(e.en)}</span><span lang="ja">${html(e.ja)}</span></li>`);
  return `<section><h2><span lang="en">What ghostguard would have done</span><span lang="ja">ghostguard を使っていた場合</span></h2><ul>${items.join('')}</ul></section>`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '' : `<ul>${items.map((i) => `<li>${html(i)}</li>`).join('')}</ul>`;
}
