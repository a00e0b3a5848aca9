/**
 * Bans: the list (expiry countdown, strikes), a form to ban an address, and an unban button per row
 * that asks for confirmation in place. The API's refusals (409, 422: e.g. "that is your provider")
 * are shown in the page's language (api-errors.js; the API's English words for a code it does not
 * know). The list follows the stream's `ban` events.
 */
import { errorText } from './api-errors.js';
import { byId, cell, el, keepingFocus } from './dom.js';
import { formatFullTime, formatNumber, formatUntil } from './format.js';

export function mountBans(app) {
  const { api, i18n, stream } = app;
  const t = (k, p) => i18n.t(k, p);
  const form = byId('ban-form');
  const body = byId('bans-body');
  const message = byId('ban-message');
  const state = { bans: [], confirming: null, busy: false };

  /**
   * The last message, kept as a dictionary key so that it follows a change of language; `why` (an
   * errorText result, also keys) fills its `{message}`.
   */
  let said = null;
  const showMessage = () => {
    if (said === null) return;
    const params = said.why ? { ...said.params, message: t(said.why.key, said.why.params) } : said.params;
    message.textContent = t(said.key, params);
    message.className = `form-message ${said.kind}`;
    message.setAttribute('role', said.kind === 'error' ? 'alert' : 'status');
  };
  const say = (key, params, kind, why = null) => {
    said = { key, params, kind, why };
    showMessage();
  };

  // Redrawing replaces the rows: the keyboard focus stays on its control.
  const draw = () => keepingFocus(body, drawRows);
  const drawRows = () => {
    const lang = i18n.lang;
    const now = Date.now();
    const rows = state.bans.map((ban) => {
      const confirming = state.confirming === ban.address;
      const actions = confirming
        ? [
            el('button', { type: 'button', class: 'danger', 'data-action': 'confirm-unban', onclick: () => unban(ban.address) }, t('bans.confirm')),
            el('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-unban', onclick: () => setConfirming(null) }, t('bans.cancel')),
          ]
        : [el('button', { type: 'button', class: 'secondary', 'data-action': 'unban', 'aria-label': t('bans.unbanLabel', { address: ban.address }), onclick: () => setConfirming(ban.address) }, t('bans.unban'))];
      return el(
        'tr',
        { 'data-address': ban.address, 'data-key': ban.address },
        cell({ class: 'mono addr', 'data-label': t('bans.col.address') }, ban.address),
        cell({ 'data-label': t('bans.col.reason'), class: 'wrap' }, ban.reason ?? '', ' ', ban.family ? el('span', { class: 'chip chip-family' }, ban.family) : null),
        cell({ 'data-label': t('bans.col.expires'), title: ban.expiresAt ? formatFullTime(ban.expiresAt, lang) : '' }, el('span', { 'data-until': ban.expiresAt ?? '' }, formatUntil(ban.expiresAt ?? null, now, t))),
        cell({ class: 'num', 'data-label': t('bans.col.strikes') }, formatNumber(ban.strikes ?? 1, lang)),
        cell({ 'data-label': t('bans.col.source') }, t(`bans.source.${ban.source}`)),
        el('td', { class: 'action' }, confirming ? el('span', { class: 'confirm-text' }, t('bans.really', { address: ban.address })) : null, ...actions),
      );
    });
    body.replaceChildren(...rows);
    if (rows.length === 0) body.append(el('tr', { class: 'empty' }, el('td', { colspan: 6 }, t('bans.none'))));
    byId('bans-count').textContent = t('bans.count', { n: state.bans.length });
  };

  const setConfirming = (address) => {
    state.confirming = address;
    draw();
    const selector = address === null ? null : `tr[data-address="${CSS.escape(address)}"] [data-action="confirm-unban"]`;
    if (selector) body.querySelector(selector)?.focus();
  };

  const load = async () => {
    try {
      const data = await api.get('/api/bans');
      state.bans = [...(data.bans ?? [])].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
      draw();
    } catch (error) {
      app.report(error);
    }
  };

  const unban = async (address) => {
    try {
      await api.delete(`/api/bans/${encodeURIComponent(address)}`);
      say('bans.removed', { address }, 'ok');
    } catch (error) {
      if (error?.status === 404) say('bans.notFound', { address }, 'error');
      else say('bans.failed', {}, 'error', errorText(error));
    }
    state.confirming = null;
    await load();
    // The row and its buttons are gone: the focus goes to what happened.
    if (!body.contains(document.activeElement)) message.focus();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (state.busy) return;
    const data = new FormData(form);
    const address = String(data.get('address') ?? '').trim();
    if (address === '') {
      say('bans.needAddress', {}, 'error');
      byId('ban-address').focus();
      return;
    }
    const request = { address };
    const reason = String(data.get('reason') ?? '').trim();
    if (reason !== '') request.reason = reason;
    const duration = String(data.get('duration') ?? '');
    if (duration !== '') request.durationS = Number(duration);
    state.busy = true;
    try {
      const result = await api.post('/api/bans', request);
      say('bans.added', { address: result?.ban?.address ?? address }, 'ok');
      form.reset();
      await load();
    } catch (error) {
      say('bans.failed', {}, 'error', errorText(error));
    } finally {
      state.busy = false;
    }
  });

  body.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.confirming !== null) {
      const address = state.confirming;
      setConfirming(null);
      body.querySelector(`tr[data-address="${CSS.escape(address)}"] [data-action="unban"]`)?.focus();
    }
  });

  let pending;
  stream.on('ban', () => {
    clearTimeout(pending);
    pending = setTimeout(load, 200);
  });
  i18n.onChange(() => {
    draw();
    showMessage();
  });
  app.prefillBan = (address) => {
    byId('ban-address').value = address;
    byId('ban-address').focus();
    byId('ban-address').scrollIntoView({ block: 'center' });
  };
  setInterval(load, 30_000);
  return load();
}
