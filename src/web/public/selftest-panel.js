/**
 * "Am I protected?": POST /api/selftest sends a scanner's INVITE and an OPTIONS to the guard's public
 * address from outside, and shows per port whether a ghost call would ring there, in plain words.
 */
import { errorText } from './api-errors.js';
import { byId, el } from './dom.js';

const VERDICT_CLASS = { RANG: 'bad', ANSWERED: 'warn', SILENT: 'ok' };

export function mountSelftest(app) {
  const { api, i18n } = app;
  const t = (k, p) => i18n.t(k, p);
  /** A failed call's words in the page's language (api-errors.js). */
  const said = (error) => {
    const { key, params } = errorText(error);
    return t(key, params);
  };
  const button = byId('selftest-run');
  const out = byId('selftest-result');
  let result = null;
  let error = null;
  let running = false;

  const draw = () => {
    button.disabled = running;
    button.textContent = running ? t('selftest.running') : t('selftest.run');
    out.setAttribute('aria-busy', String(running));
    if (error !== null) {
      out.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('selftest.failed', { message: said(error) })));
      return;
    }
    if (result === null) {
      out.replaceChildren(...(running ? [el('p', { class: 'muted' }, t('selftest.wait'))] : []));
      return;
    }
    const report = result.report ?? { results: [] };
    const answer = result.protected === true ? 'ok' : 'bad';
    out.replaceChildren(
      el('div', { class: `answer answer-${answer}`, 'data-protected': String(result.protected === true) }, el('strong', {}, result.protected === true ? t('selftest.yes') : t('selftest.no')), el('p', { lang: i18n.lang }, result.summary?.[i18n.lang] ?? result.summary?.en ?? '')),
      el('p', { class: 'muted' }, t('selftest.target', { host: report.host ?? '?', address: report.address ?? '?' })),
      el(
        'ul',
        { class: 'verdicts' },
        (report.results ?? []).map((r) =>
          el(
            'li',
            { class: `verdict verdict-${VERDICT_CLASS[r.verdict] ?? 'warn'}` },
            el('span', { class: 'port mono' }, `${String(r.transport ?? '').toUpperCase()} ${r.port}`),
            el('span', { class: 'verdict-word' }, t(`selftest.verdict.${r.verdict}`)),
            el('span', { class: 'verdict-meaning' }, t(`selftest.meaning.${r.verdict}`)),
            r.detail ? el('span', { class: 'verdict-detail muted', lang: 'en' }, r.detail) : null,
          ),
        ),
      ),
    );
  };

  button.addEventListener('click', async () => {
    running = true;
    error = null;
    result = null;
    draw();
    try {
      result = await api.post('/api/selftest', {});
      app.state.selftest = result;
    } catch (e) {
      error = e;
    } finally {
      running = false;
      draw();
      app.refreshHeader?.();
    }
  });
  i18n.onChange(draw);
  draw();
}
