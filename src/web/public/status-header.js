/**
 * The header: is this guard protecting the phones (its WAN leg listens and the provider holds a
 * registration — or, once run, what the self-test found), is the provider registered, which WAN
 * port; and in demo mode the lab's running score.
 */
import { byId, el } from './dom.js';
import { formatNumber } from './format.js';

export function mountHeader(app) {
  const { api, i18n } = app;
  const t = (k, p) => i18n.t(k, p);
  const badges = byId('status-badges');
  const tally = byId('tally');

  const badge = (kind, text, id) => el('li', { class: `badge badge-${kind}`, id }, el('span', { class: 'dot', 'aria-hidden': 'true' }), text);

  const draw = () => {
    const { status, provider, selftest } = app.state;
    const lang = i18n.lang;
    if (status === null) {
      badges.replaceChildren(badge('unknown', t('common.loading')));
      return;
    }
    const guard = status.guard ?? {};
    const wanListening = (guard.listening ?? []).some((l) => l.leg === 'wan');
    const registered = provider?.registered === true;
    let protection;
    if (selftest) protection = selftest.protected === true ? badge('ok', t('status.protectedChecked'), 'status-protection') : badge('bad', t('status.exposed'), 'status-protection');
    else if (wanListening && registered) protection = badge('ok', t('status.protected'), 'status-protection');
    else protection = badge('warn', t('status.notYet'), 'status-protection');
    const next = [
      protection,
      badge(registered ? 'ok' : 'warn', registered ? t('status.registered') : t('status.notRegistered'), 'status-provider'),
      badge('plain', t('status.wanPort', { port: guard.wanPort ?? '?' }), 'status-wan'),
      status.demo ? badge('demo', t('status.demo'), 'status-demo') : null,
    ].filter((b) => b !== null);
    // A live region: rewritten only when what it says changed.
    const said = next.map((b) => `${b.className}:${b.textContent}`).join('|');
    document.title = `${protection.textContent} · ghostguard`;
    if (said !== badges.dataset.said) {
      badges.dataset.said = said;
      badges.replaceChildren(...next);
    }
    const lab = status.tally;
    tally.hidden = !status.demo || !lab;
    if (lab && lab.providerCalls && lab.ghostCalls) {
      const n = (v) => formatNumber(v ?? 0, lang);
      tally.replaceChildren(
        el('span', { class: 'tally-part' }, t('tally.provider', { placed: n(lab.providerCalls.placed), rang: n(lab.providerCalls.rang), answered: n(lab.providerCalls.answered) })),
        el('span', { class: `tally-part ${lab.ghostCalls.rang > 0 ? 'tally-bad' : 'tally-good'}` }, t('tally.ghost', { rang: n(lab.ghostCalls.rang), blocked: n(lab.ghostCalls.blocked) })),
      );
    }
    byId('version').textContent = status.version ? `ghostguard ${status.version}` : 'ghostguard';
  };

  const load = async () => {
    try {
      app.state.status = await api.get('/api/status');
      draw();
    } catch (error) {
      app.report(error);
    }
  };

  app.refreshHeader = draw;
  i18n.onChange(draw);
  setInterval(load, 3_000);
  return load();
}
