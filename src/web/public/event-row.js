/**
 * One row of the events table and its details row: when, who, what, why, and — on demand — the
 * guard's plain-language explanation (English or Japanese) and the raw SIP message. Every field is
 * attacker-controlled (SIP headers): it reaches the DOM only as text.
 */
import { cell, el } from './dom.js';
import { formatFullTime, formatNumber, formatTime } from './format.js';

/** What the row says the request was: "INVITE from 'sipvicious' <sip:100@1.1.1.1>". */
function what(event, t) {
  const method = event.method ?? t('events.unread');
  return event.from ? `${method} · ${event.from}` : method;
}

export function reasonChip(code, t) {
  const key = `reason.${code}`;
  const words = t(key);
  return el('span', { class: `chip chip-${code === 'banned' || code === 'flood' ? 'hot' : 'reason'}`, title: words === key ? code : words }, code);
}

/**
 * The two <tr> of an event: the summary row and the details row (hidden unless `open`).
 * `ctx`: { t, lang, key, open, fresh, raw (text | undefined | Error), onToggle(key), onRaw(key, id) }.
 */
export function eventRows(event, ctx) {
  const { t, lang } = ctx;
  const detailId = `event-detail-${ctx.key}`;
  const toggle = el('button', {
    type: 'button',
    class: 'link-button',
    'aria-expanded': String(ctx.open),
    'aria-controls': detailId,
    'data-action': 'explain',
    'aria-label': t(ctx.open ? 'events.hideLabel' : 'events.explainLabel', { source: event.source ?? '?', time: formatTime(event.time, lang) }),
    onclick: () => ctx.onToggle(ctx.key),
  }, ctx.open ? t('events.hide') : t('events.explain'));
  const summary = el(
    'tr',
    { class: `event-row${ctx.fresh ? ' fresh' : ''}`, 'data-key': ctx.key, 'data-id': event.id ?? null },
    cell({ 'data-label': t('events.col.time') }, el('time', { datetime: new Date(event.time).toISOString(), title: formatFullTime(event.time, lang) }, formatTime(event.time, lang))),
    cell({ 'data-label': t('events.col.source'), class: 'mono addr' }, event.overflow ? t('events.overflow') : (event.source ?? '?')),
    cell({ 'data-label': t('events.col.what'), class: 'wrap' }, el('span', { class: 'what' }, what(event, t)), event.userAgent ? el('span', { class: 'ua' }, event.userAgent) : null),
    cell({ 'data-label': t('events.col.reason') }, (event.reasons ?? []).map((r) => reasonChip(r, t))),
    cell({ 'data-label': t('events.col.family') }, event.family ? el('span', { class: 'chip chip-family' }, event.family) : el('span', { class: 'muted' }, '–')),
    cell({ 'data-label': t('events.col.count'), class: 'num' }, event.count > 1 ? `×${formatNumber(event.count, lang)}` : '1'),
    el('td', { class: 'action' }, toggle),
  );
  const detail = el('tr', { class: 'event-detail', id: detailId, 'data-key': ctx.key, hidden: !ctx.open }, el('td', { colspan: 7 }, ctx.open ? details(event, ctx) : null));
  return [summary, detail];
}

function details(event, ctx) {
  const { t, lang } = ctx;
  const text = event.explanation?.[lang] ?? event.explanation?.en ?? '';
  const fields = [
    ['events.field.requestUri', event.requestUri],
    ['events.field.from', event.from],
    ['events.field.to', event.to],
    ['events.field.userAgent', event.userAgent],
    ['events.field.callId', event.callId],
    ['events.field.transport', event.transport && `${event.transport} · ${event.leg ?? ''}`],
    ['events.field.last', event.count > 1 ? `${formatFullTime(event.lastTime, lang)} (${t('events.times', { n: formatNumber(event.count, lang) })})` : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  const raw = ctx.raw;
  const canRaw = event.id !== undefined && event.id !== null && event.hasRaw !== false;
  const rawButton = canRaw
    ? el('button', { type: 'button', class: 'secondary', 'data-action': 'raw', 'aria-expanded': String(typeof raw === 'string'), onclick: () => ctx.onRaw(ctx.key, event.id) }, typeof raw === 'string' ? t('events.hideRaw') : t('events.showRaw'))
    : el('p', { class: 'muted' }, event.id === undefined || event.id === null ? t('events.rawSoon') : t('events.noRaw'));
  return el(
    'div',
    { class: 'detail-body' },
    el('p', { class: 'explanation', lang }, text),
    el('dl', { class: 'fields' }, fields.flatMap(([key, value]) => [el('dt', {}, t(key)), el('dd', { class: 'mono' }, String(value))])),
    rawButton,
    raw instanceof Error ? el('p', { class: 'error', role: 'alert' }, t('events.rawFailed', { message: raw.message })) : null,
    typeof raw === 'string' ? el('pre', { class: 'raw', tabindex: '0', 'aria-label': t('events.rawLabel') }, raw) : null,
  );
}
