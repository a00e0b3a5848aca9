/**
 * The dashboard's entry point (a plain browser ES module, served as-is): picks the language, opens
 * the live stream, mounts every panel, and shows the "token needed" form when the API answers 401.
 */
import { mountActivity } from './activity-panel.js';
import { errorText } from './api-errors.js';
import { Api } from './api.js';
import { mountBans } from './bans-panel.js';
import { mountCharts } from './charts-panel.js';
import { byId } from './dom.js';
import { mountEvents } from './events-panel.js';
import { startTicker } from './format.js';
import { I18n, initialLanguage } from './i18n.js';
import { mountHeader } from './status-header.js';
import { mountProvider } from './provider-panel.js';
import { mountRegistrations } from './registrations-panel.js';
import { mountSelftest } from './selftest-panel.js';
import { mountSources } from './sources-panel.js';
import { LiveStream } from './stream.js';
import { mountTotals } from './totals-panel.js';

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function main() {
  const store = storage();
  const i18n = new I18n(initialLanguage(store, navigator.languages ?? [navigator.language]), store);
  let locked = false;
  const app = {
    i18n,
    stream: new LiveStream(),
    state: { status: null, provider: null, selftest: null },
    api: new Api(() => {
      if (locked) return;
      locked = true;
      byId('login').hidden = false;
      byId('main').hidden = true;
      byId('login-token').focus();
    }),
    /** A failed background load: shown in the footer (in the page's language), not in the user's way. */
    report(error) {
      if (error?.status === 401) return;
      const note = byId('problem');
      note.hidden = false;
      app.problem = errorText(error);
      showProblem();
      clearTimeout(app.problemTimer);
      app.problemTimer = setTimeout(() => (note.hidden = true), 8000);
    },
  };
  // The footer note is kept as keys: it follows a change of language while it shows.
  const showProblem = () => {
    if (app.problem) byId('problem').textContent = i18n.t('common.problem', { message: i18n.t(app.problem.key, app.problem.params) });
  };
  i18n.onChange(showProblem);

  const language = byId('lang');
  language.value = i18n.lang;
  language.addEventListener('change', () => i18n.set(language.value));
  i18n.onChange(() => {
    language.value = i18n.lang;
    i18n.apply(document);
  });
  i18n.apply(document);

  app.stream.onState((state) => {
    const node = byId('live-state');
    node.dataset.state = state;
    node.textContent = i18n.t(`live.${state}`);
  });
  i18n.onChange(() => {
    byId('live-state').textContent = i18n.t(`live.${app.stream.state}`);
  });

  mountHeader(app);
  mountTotals(app);
  mountCharts(app);
  mountEvents(app);
  mountSelftest(app);
  mountProvider(app);
  mountRegistrations(app);
  mountSources(app);
  mountBans(app);
  mountActivity(app);
  startTicker(i18n);
  app.stream.open();
  document.body.dataset.ready = 'true';
}

main();
