/**
 * Provider health: is the provider answering, how did the last REGISTER go, and does it call the
 * phones' alias Request-URI as registered (or rewrite it, so that the guard uses its fallback).
 */
import { byId, el } from './dom.js';
import { formatFullTime, formatTime } from './format.js';

export function mountProvider(app) {
  const { api, i18n } = app;
  const t = (k, p) => i18n.t(k, p);
  const list = byId('provider-facts');
  let health = null;

  const yesNo = (value, yes, no, unknown) => (value === true ? ['ok', t(yes)] : value === false ? ['bad', t(no)] : ['unknown', t(unknown)]);

  const draw = () => {
    if (health === null) {
      list.replaceChildren(el('p', { class: 'muted' }, t('common.loading')));
      return;
    }
    const last = (health.registrations ?? [])[0];
    const lastText = last
      ? t('provider.lastRegister', { status: last.status === null ? t('provider.noAnswer') : String(last.status), time: formatTime(last.at, i18n.lang), aor: last.aor })
      : t('provider.noRegister');
    const lastKind = !last ? 'unknown' : last.status !== null && last.status >= 200 && last.status < 300 ? 'ok' : 'bad';
    const facts = [
      ['provider.domain', ['plain', health.domain ?? '–']],
      ['provider.reachable', yesNo(health.reachable, 'provider.reachableYes', 'provider.reachableNo', 'provider.reachableUnknown')],
      ['provider.registered', yesNo(health.registered, 'provider.registeredYes', 'provider.registeredNo', 'provider.registeredNo')],
      ['provider.last', [lastKind, lastText]],
      ['provider.keepsUri', yesNo(health.keepsRequestUri, 'provider.keepsYes', 'provider.keepsNo', 'provider.keepsUnknown')],
      ['provider.addresses', ['plain', (health.addresses ?? []).join(', ') || '–']],
    ];
    list.replaceChildren(
      ...facts.flatMap(([key, [kind, text]]) => [
        el('dt', {}, t(key)),
        el('dd', { class: `fact fact-${kind}`, title: key === 'provider.last' && last ? formatFullTime(last.at, i18n.lang) : null }, kind === 'plain' ? null : el('span', { class: 'dot', 'aria-hidden': 'true' }), text),
      ]),
    );
  };

  const load = async () => {
    try {
      health = await api.get('/api/provider');
      app.state.provider = health;
      app.refreshHeader?.();
      draw();
    } catch (error) {
      app.report(error);
    }
  };

  i18n.onChange(draw);
  setInterval(load, 10_000);
  return load();
}
