/**
 * The headline numbers (calls delivered, requests blocked, sources banned, messages relayed), from
 * /api/stats and then the stream's `stats` event every second.
 */
import { byId } from './dom.js';
import { formatNumber } from './format.js';

const KEYS = ['delivered', 'blocked', 'banned', 'relayed'];

export function mountTotals(app) {
  const { api, i18n, stream } = app;
  let totals = null;

  const draw = () => {
    for (const key of KEYS) {
      const node = byId(`total-${key}`);
      node.textContent = totals === null || typeof totals[key] !== 'number' ? '–' : formatNumber(totals[key], i18n.lang);
    }
  };

  stream.on('stats', (data) => {
    if (data && data.totals) {
      totals = data.totals;
      draw();
    }
  });
  i18n.onChange(draw);
  return api
    .get('/api/stats')
    .then((body) => {
      if (totals === null) totals = body.totals ?? null;
      draw();
    })
    .catch((error) => app.report(error));
}
