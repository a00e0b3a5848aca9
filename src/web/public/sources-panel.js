/**
 * Top sources: the addresses that sent the most blocked requests, with a shortcut that puts an
 * address into the ban form.
 */
import { byId, cell, el, keepingFocus } from './dom.js';
import { formatNumber } from './format.js';

export function mountSources(app) {
  const { api, i18n } = app;
  const t = (k, p) => i18n.t(k, p);
  const body = byId('sources-body');
  let sources = [];

  const draw = () => keepingFocus(body, drawRows);
  const drawRows = () => {
    const lang = i18n.lang;
    const max = Math.max(1, ...sources.map((s) => s.events ?? 0));
    body.replaceChildren(
      ...sources.map((s) =>
        el(
          'tr',
          { 'data-key': s.key },
          cell({ class: 'mono addr', 'data-label': t('sources.col.address') }, s.key === '*' ? t('events.overflow') : s.key),
          cell({ class: 'num', 'data-label': t('sources.col.events') }, el('meter', { min: 0, max, value: s.events ?? 0, 'aria-hidden': 'true' }), ` ${formatNumber(s.events ?? 0, lang)}`),
          cell({ class: 'num hide-narrow', 'data-label': t('sources.col.rows') }, formatNumber(s.rows ?? 0, lang)),
          el('td', { class: 'action' }, s.key === '*' ? null : el('button', { type: 'button', class: 'secondary', 'data-action': 'prefill-ban', 'aria-label': t('sources.banLabel', { address: s.key }), onclick: () => app.prefillBan?.(s.key) }, t('sources.ban'))),
        ),
      ),
    );
    if (sources.length === 0) body.append(el('tr', { class: 'empty' }, el('td', { colspan: 4 }, t('sources.none'))));
  };

  const load = async () => {
    try {
      sources = (await api.get('/api/sources', { limit: 8 })).sources ?? [];
      draw();
    } catch (error) {
      app.report(error);
    }
  };

  i18n.onChange(draw);
  setInterval(load, 10_000);
  return load();
}
