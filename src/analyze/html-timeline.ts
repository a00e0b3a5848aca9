/**
 * The timeline chart of the HTML report as inline SVG: a bar per bucket for all SIP messages (grey) and
 * ghost calls (red, on their own scale so a few calls among a flood stay visible), with the time
 * range written under it. Scales to the page width (viewBox), no script, no external resource.
 */
import type { TimelineBucket } from './analysis.js';
import { html } from './html-escape.js';

const WIDTH = 600;
const HEIGHT = 160;
const PAD = 24;

export function timelineSvg(buckets: readonly TimelineBucket[], bucketMs: number): string {
  if (buckets.length === 0) return '<p>No messages to chart.</p>';
  const maxMessages = Math.max(1, ...buckets.map((b) => b.messages));
  const maxGhosts = Math.max(1, ...buckets.map((b) => b.ghostCalls));
  const plotH = HEIGHT - 2 * PAD;
  const bar = (WIDTH - 2 * PAD) / buckets.length;
  const parts: string[] = [];
  buckets.forEach((b, i) => {
    const x = (PAD + i * bar).toFixed(1);
    const w = Math.max(bar - 1, 0.5).toFixed(1);
    const when = new Date(b.start).toISOString().slice(11, 19);
    if (b.messages > 0) {
      const h = (b.messages / maxMessages) * plotH;
      parts.push(`<rect class="m" x="${x}" y="${(PAD + plotH - h).toFixed(1)}" width="${w}" height="${h.toFixed(1)}"><title>${html(`${when}: ${b.messages} messages`)}</title></rect>`);
    }
    if (b.ghostCalls > 0) {
      const h = (b.ghostCalls / maxGhosts) * plotH * 0.9;
      const gw = Math.max(bar / 2, 0.5).toFixed(1);
      parts.push(`<rect class="g" x="${x}" y="${(PAD + plotH - h).toFixed(1)}" width="${gw}" height="${h.toFixed(1)}"><title>${html(`${when}: ${b.ghostCalls} ghost calls`)}</title></rect>`);
    }
  });
  const first = buckets[0]!.start;
  const end = buckets[buckets.length - 1]!.start + bucketMs;
  const label = (ms: number) => html(new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
  // Labels are HTML under the chart, so that they keep a readable size on a phone and a desktop alike.
  return [
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="SIP messages and ghost calls over time">`,
    `<line class="axis" x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}"/>`,
    ...parts,
    '</svg>',
    `<div class="axis-labels"><span>${label(first)}</span><span>${label(end)}</span></div>`,
    `<p class="muted">Tallest bar: ${maxMessages} messages; ${maxGhosts} ghost calls (red, own scale) per ${html(duration(bucketMs))}.</p>`,
  ].join('');
}

function duration(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1).replace(/\.0$/, '')} min`;
  return `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h`;
}
