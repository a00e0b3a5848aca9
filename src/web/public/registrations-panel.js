/**
 * The phones: each binding the guard relays for (address of record, the phone's own Contact, the
 * public address it registered from), when it expires (a countdown) and when it last got a call.
 */
import { byId, cell, el } from './dom.js';
import { formatAgo, formatFullTime, formatUntil } from './format.js';

export function mountRegistrations(app) {
  const { api, i18n, stream } = app;
  const t = (k, p) => i18n.t(k, p);
  const body = byId('registrations-body');
  let registrations = [];

  const endpoint = (v) => (v && typeof v === 'object' ? `${v.host ?? v.address ?? ''}:${v.port ?? ''}` : (v ?? ''));

  const draw = () => {
    const now = Date.now();
    body.replaceChildren(
      ...registrations.map((r) =>
        el(
          'tr',
          {},
          cell({ class: 'mono wrap', 'data-label': t('phones.col.aor') }, r.aor ?? ''),
          cell({ class: 'mono wrap', 'data-label': t('phones.col.contact') }, r.contact ?? ''),
          cell({ class: 'mono', 'data-label': t('phones.col.public') }, endpoint(r.publicAddress), r.transport ? el('span', { class: 'muted' }, ` ${String(r.transport).toUpperCase()}`) : null),
          cell({ 'data-label': t('phones.col.expires'), title: r.expiresAt ? formatFullTime(r.expiresAt, i18n.lang) : '' }, el('span', { 'data-until': r.expiresAt ?? '' }, formatUntil(r.expiresAt ?? null, now, t))),
          cell({ 'data-label': t('phones.col.lastCall') }, r.lastCallAt ? el('span', { 'data-since': r.lastCallAt, title: formatFullTime(r.lastCallAt, i18n.lang) }, formatAgo(r.lastCallAt, now, t)) : el('span', { class: 'muted' }, t('phones.noCall'))),
        ),
      ),
    );
    if (registrations.length === 0) body.append(el('tr', { class: 'empty' }, el('td', { colspan: 5 }, t('phones.none'))));
  };

  const load = async () => {
    try {
      registrations = (await api.get('/api/registrations')).registrations ?? [];
      draw();
    } catch (error) {
      app.report(error);
    }
  };

  stream.on('lab', (event) => {
    if (event?.kind === 'phone-registered' || event?.kind === 'call-answered' || event?.kind === 'phone-rang') setTimeout(load, 300);
  });
  i18n.onChange(draw);
  setInterval(load, 15_000);
  return load();
}
