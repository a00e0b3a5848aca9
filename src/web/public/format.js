/**
 * Numbers, times and durations for people, in the page's language (Intl), and the one-second ticker
 * that keeps every countdown on the page current (elements with `data-until`).
 */
const LOCALES = { en: 'en-GB', ja: 'ja-JP' };

export function formatNumber(n, lang) {
  return new Intl.NumberFormat(LOCALES[lang]).format(n);
}

/** 14:03:22 (today) or 27 Nov 14:03 (another day). */
export function formatTime(ms, lang) {
  const date = new Date(ms);
  const today = new Date().toDateString() === date.toDateString();
  const options = today ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(LOCALES[lang], options).format(date);
}

export function formatFullTime(ms, lang) {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms));
}

export function formatMinute(ms, lang) {
  return new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

/** A span of time in words: "3 min 20 s", "2 h 5 min", "4 d 3 h". */
export function formatSpan(ms, t) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('span.s', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('span.ms', { m, s: s % 60 });
  const h = Math.floor(m / 60);
  if (h < 48) return t('span.hm', { h, m: m % 60 });
  return t('span.dh', { d: Math.floor(h / 24), h: h % 24 });
}

/** "in 3 min 20 s" / "expired" for a future time; "never" for null. */
export function formatUntil(until, now, t) {
  if (until === null || until === undefined) return t('time.never');
  return until <= now ? t('time.expired') : t('time.in', { span: formatSpan(until - now, t) });
}

/** "3 min ago" for a past time. */
export function formatAgo(at, now, t) {
  return t('time.ago', { span: formatSpan(now - at, t) });
}

/** Redraws every countdown (`data-until`, ms or "" for never) and age (`data-since`) once a second. */
export function startTicker(i18n) {
  const tick = () => {
    const now = Date.now();
    for (const node of document.querySelectorAll('[data-until]')) {
      const until = node.dataset.until === '' ? null : Number(node.dataset.until);
      node.textContent = formatUntil(until, now, i18n.t.bind(i18n));
    }
    for (const node of document.querySelectorAll('[data-since]')) node.textContent = formatAgo(Number(node.dataset.since), now, i18n.t.bind(i18n));
  };
  tick();
  return setInterval(tick, 1000);
}
