/**
 * The dashboard's charts, drawn as SVG by hand (no chart library): per-minute bars in stacked rows
 * that each have their own scale (a flood of blocked requests must not flatten the few real calls),
 * and horizontal bars for a breakdown. Sized in CSS pixels from the host's width, so text stays
 * readable on a phone; callers redraw on resize.
 */
import { svg } from './dom.js';

const ROW_HEIGHT = 92;
const AXIS_HEIGHT = 22;
const LEFT = 8;
const RIGHT = 8;

/** A "nice" upper bound for a scale: 1, 2, 5, 10, 20, 50 … at or above `max`. */
export function niceMax(max) {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * Bars per time slot, one row per series: `slots` = [{ label, tick: bool }], `rows` =
 * [{ title, values: number[], className, describe(i) }]. Returns the <svg>.
 */
export function minuteBars({ width, slots, rows, label }) {
  const w = Math.max(240, Math.floor(width));
  const height = rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const plot = w - LEFT - RIGHT;
  const step = plot / Math.max(1, slots.length);
  const bar = Math.max(1, step * 0.72);
  const root = svg('svg', { class: 'chart', width: w, height, viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': label });
  rows.forEach((row, r) => {
    const top = r * ROW_HEIGHT;
    const max = niceMax(Math.max(0, ...row.values));
    const barTop = top + 22;
    const barArea = ROW_HEIGHT - 30;
    root.append(svg('text', { x: LEFT, y: top + 14, class: 'chart-title' }, row.title));
    root.append(svg('text', { x: w - RIGHT, y: top + 14, class: 'chart-scale', 'text-anchor': 'end' }, row.scale(max)));
    root.append(svg('line', { x1: LEFT, x2: w - RIGHT, y1: barTop, y2: barTop, class: 'chart-grid' }));
    root.append(svg('line', { x1: LEFT, x2: w - RIGHT, y1: barTop + barArea, y2: barTop + barArea, class: 'chart-base' }));
    row.values.forEach((value, i) => {
      if (value <= 0) return;
      const h = Math.max(2, (value / max) * barArea);
      const x = LEFT + i * step + (step - bar) / 2;
      root.append(svg('rect', { x: x.toFixed(1), y: (barTop + barArea - h).toFixed(1), width: bar.toFixed(1), height: h.toFixed(1), rx: Math.min(2, bar / 3), class: row.className }, svg('title', {}, row.describe(i))));
    });
  });
  const axisY = rows.length * ROW_HEIGHT + 14;
  slots.forEach((slot, i) => {
    if (!slot.tick) return;
    const x = LEFT + i * step + step / 2;
    const anchor = i === 0 ? 'start' : i === slots.length - 1 ? 'end' : 'middle';
    root.append(svg('text', { x: (anchor === 'start' ? LEFT : anchor === 'end' ? w - RIGHT : x).toFixed(1), y: axisY, class: 'chart-axis', 'text-anchor': anchor }, slot.label));
  });
  return root;
}

/** Horizontal bars, largest first: `items` = [{ label, value, text }]. */
export function horizontalBars({ width, items, label, empty }) {
  const w = Math.max(240, Math.floor(width));
  const rowH = 26;
  const height = Math.max(1, items.length) * rowH + 6;
  const root = svg('svg', { class: 'chart', width: w, height, viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': label });
  if (items.length === 0) {
    root.append(svg('text', { x: LEFT, y: 18, class: 'chart-empty' }, empty));
    return root;
  }
  const labelW = Math.min(150, Math.floor(w * 0.36));
  const valueW = 64;
  const plot = Math.max(20, w - labelW - valueW - LEFT - RIGHT);
  const max = Math.max(1, ...items.map((i) => i.value));
  items.forEach((item, i) => {
    const y = i * rowH + 4;
    const length = Math.max(2, (item.value / max) * plot);
    root.append(svg('text', { x: LEFT + labelW - 8, y: y + 15, class: 'chart-label', 'text-anchor': 'end' }, clip(item.label, Math.floor(labelW / 7.5))));
    root.append(svg('rect', { x: LEFT + labelW, y: y + 3, width: length.toFixed(1), height: rowH - 10, rx: 3, class: `bar-family bar-${i % 6}` }, svg('title', {}, `${item.label}: ${item.text}`)));
    root.append(svg('text', { x: LEFT + labelW + length + 6, y: y + 15, class: 'chart-value' }, item.text));
  });
  return root;
}

function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
