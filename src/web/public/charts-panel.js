/**
 * The live charts: calls delivered vs requests blocked per minute, and blocked requests by scanner
 * family, over the last MINUTES minutes (fewer, at least MIN_MINUTES, while the guard is younger). Loaded from /api/timeline, then kept current by the stream's
 * `timeline` events (the current minute's bucket), redrawn at most a few times a second.
 */
import { horizontalBars, minuteBars } from './chart.js';
import { byId } from './dom.js';
import { formatMinute, formatNumber } from './format.js';

export const MINUTES = 30;
const MIN_MINUTES = 10;
const MINUTE = 60_000;

export function mountCharts(app) {
  const { api, i18n, stream } = app;
  const t = (k, p) => i18n.t(k, p);
  const timelineHost = byId('chart-timeline');
  const familyHost = byId('chart-families');
  /** minute number (t / 60000) → bucket */
  const buckets = new Map();
  let pending = false;

  const upsert = (bucket) => {
    if (bucket && typeof bucket.t === 'number') buckets.set(Math.floor(bucket.t / MINUTE), bucket);
  };

  const draw = () => {
    pending = false;
    const lang = i18n.lang;
    const last = Math.floor(Date.now() / MINUTE);
    for (const key of buckets.keys()) if (key <= last - MINUTES) buckets.delete(key);
    const startedAt = app.state.status?.startedAt;
    const age = typeof startedAt === 'number' ? last - Math.floor(startedAt / MINUTE) + 1 : MINUTES;
    const shown = Math.min(MINUTES, Math.max(MIN_MINUTES, age));
    const step = shown <= 12 ? 2 : shown <= 20 ? 5 : 10;
    byId('charts-title').textContent = t('charts.title', { minutes: shown });
    const slots = [];
    const delivered = [];
    const blocked = [];
    const families = new Map();
    for (let m = last - shown + 1; m <= last; m++) {
      const b = buckets.get(m);
      slots.push({ at: m * MINUTE, label: formatMinute(m * MINUTE, lang), tick: (last - m) % step === 0 });
      delivered.push(b?.delivered ?? 0);
      blocked.push(b?.blocked ?? 0);
      for (const [family, n] of Object.entries(b?.byFamily ?? {})) families.set(family, (families.get(family) ?? 0) + n);
    }
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const totalDelivered = sum(delivered);
    const totalBlocked = sum(blocked);
    timelineHost.replaceChildren(
      minuteBars({
        width: timelineHost.clientWidth,
        slots,
        label: t('charts.timelineLabel', { minutes: shown, delivered: totalDelivered, blocked: totalBlocked }),
        rows: [
          {
            title: t('charts.delivered', { n: formatNumber(totalDelivered, lang) }),
            scale: (max) => t('charts.perMinute', { n: formatNumber(max, lang) }),
            values: delivered,
            className: 'bar-delivered',
            describe: (i) => t('charts.barDelivered', { time: slots[i].label, n: delivered[i] }),
          },
          {
            title: t('charts.blocked', { n: formatNumber(totalBlocked, lang) }),
            scale: (max) => t('charts.perMinute', { n: formatNumber(max, lang) }),
            values: blocked,
            className: 'bar-blocked',
            describe: (i) => t('charts.barBlocked', { time: slots[i].label, n: blocked[i] }),
          },
        ],
      }),
    );
    const items = [...families.entries()]
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([family, n]) => ({ label: family === '' || family === 'null' ? t('family.none') : family, value: n, text: formatNumber(n, lang) }));
    familyHost.replaceChildren(
      horizontalBars({
        width: familyHost.clientWidth,
        items,
        label: t('charts.familiesLabel', { list: items.map((i) => `${i.label} ${i.text}`).join(', ') || t('charts.none') }),
        empty: t('charts.none'),
      }),
    );
    timelineHost.dataset.filled = String(totalDelivered + totalBlocked > 0);
    familyHost.dataset.filled = String(items.length > 0);
  };

  const schedule = () => {
    if (pending) return;
    pending = true;
    setTimeout(draw, 250);
  };

  const load = async () => {
    try {
      const body = await api.get('/api/timeline', { minutes: MINUTES });
      for (const b of body.buckets ?? []) upsert(b);
    } catch (error) {
      app.report(error);
    }
    schedule();
  };

  stream.on('timeline', (bucket) => {
    upsert(bucket);
    schedule();
  });
  i18n.onChange(schedule);
  new ResizeObserver(schedule).observe(timelineHost.parentElement);
  setInterval(load, 60_000);
  return load();
}
