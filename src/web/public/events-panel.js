/**
 * The events table: newest first, searchable (text) and filterable (reason, family, leg), paged with
 * "older", and live: events from the stream that match the filters are counted in as they come (held
 * back behind a "show" button while the reader has scrolled down or opened a row), and every few
 * seconds the first page is read again from the store. Explanations and raw messages open per row.
 */
import { byId, el, keepingFocus } from './dom.js';
import { EventList } from './event-list.js';
import { eventRows } from './event-row.js';

const PAGE = 50;
const REFRESH_MS = 10_000;

export function mountEvents(app) {
  const { api, i18n, stream } = app;
  const t = (k, p) => i18n.t(k, p);
  const form = byId('events-filter');
  const body = byId('events-body');
  const scroller = body.closest('.table-scroll');
  const older = byId('events-older');
  const status = byId('events-status');
  const pendingButton = byId('events-pending');
  const list = new EventList();
  const state = { open: new Set(), raw: new Map(), fresh: new Set(), loading: false, generation: 0 };

  const filters = () => {
    const data = new FormData(form);
    return { text: String(data.get('text') ?? '').trim(), reason: String(data.get('reason') ?? ''), family: String(data.get('family') ?? ''), leg: String(data.get('leg') ?? '') };
  };

  const matches = (event, f) => {
    if (f.reason && !(event.reasons ?? []).includes(f.reason)) return false;
    if (f.family && event.family !== f.family) return false;
    if (f.leg && event.leg !== f.leg) return false;
    if (f.text) {
      const needle = f.text.toLowerCase();
      const hay = [event.requestUri, event.from, event.to, event.userAgent, event.callId, event.method, event.source, event.explanation?.en, event.explanation?.ja];
      if (!hay.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle))) return false;
    }
    return true;
  };

  // Redrawing replaces the rows: the keyboard focus stays on its control.
  const draw = () => keepingFocus(body, drawRows);
  const drawRows = () => {
    const lang = i18n.lang;
    const ctx = (e) => {
      const key = EventList.key(e);
      return { t, lang, key, open: state.open.has(key), raw: state.raw.get(key), fresh: state.fresh.has(key), onToggle: toggle, onRaw: showRaw };
    };
    body.replaceChildren(...list.rows.flatMap((e) => eventRows(e, ctx(e))));
    state.fresh.clear();
    if (list.rows.length === 0) body.append(el('tr', { class: 'empty' }, el('td', { colspan: 7 }, state.loading ? t('events.loading') : t('events.none'))));
    older.hidden = list.cursor === null;
    status.textContent = t('events.shown', { n: list.rows.length });
    pendingButton.hidden = list.pending.length === 0;
    pendingButton.textContent = t('events.pending', { n: list.pending.length });
  };

  const toggle = (key) => {
    if (state.open.has(key)) state.open.delete(key);
    else state.open.add(key);
    draw();
  };

  const showRaw = async (key, id) => {
    if (typeof state.raw.get(key) === 'string') {
      state.raw.delete(key);
      draw();
      return;
    }
    try {
      state.raw.set(key, await api.text(`/api/events/${encodeURIComponent(id)}/raw`));
    } catch (error) {
      state.raw.set(key, error instanceof Error ? error : new Error(String(error)));
    }
    draw();
  };

  const load = async (append) => {
    const generation = ++state.generation;
    state.loading = true;
    if (!append) draw();
    try {
      const page = await api.get('/api/events', { ...filters(), limit: PAGE, cursor: append ? list.cursor : undefined });
      if (generation !== state.generation) return;
      list.setPage(page, append);
    } catch (error) {
      app.report(error);
    } finally {
      if (generation === state.generation) state.loading = false;
    }
    draw();
  };

  /** The first page again, from the store: live rows become stored rows (with their raw message). */
  const refresh = async () => {
    if (state.loading || document.hidden) return;
    const generation = state.generation;
    try {
      const page = await api.get('/api/events', { ...filters(), limit: PAGE });
      if (generation !== state.generation) return;
      for (const [from, to] of list.refresh(page, busy())) {
        if (state.open.delete(from)) state.open.add(to);
      }
      draw();
    } catch (error) {
      app.report(error);
    }
  };

  const busy = () => (scroller?.scrollTop ?? 0) > 30 || state.open.size > 0;

  stream.on('event', (event) => {
    if (!event || typeof event.time !== 'number' || !matches(event, filters())) return;
    const hold = busy();
    const outcome = event.id !== undefined && event.id !== null ? list.upsert(event, hold) : list.live(event, hold);
    if (outcome === 'added') state.fresh.add(EventList.key(list.rows[0]));
    scheduleDraw();
  });

  let drawPending = false;
  const scheduleDraw = () => {
    if (drawPending) return;
    drawPending = true;
    setTimeout(() => {
      drawPending = false;
      draw();
    }, 300);
  };

  let typing;
  form.addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => load(false), e.target.name === 'text' ? 350 : 0);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(typing);
    load(false);
  });
  form.addEventListener('reset', () => setTimeout(() => load(false), 0));
  older.addEventListener('click', () => load(true));
  pendingButton.addEventListener('click', () => {
    list.showPending();
    if (scroller) scroller.scrollTop = 0;
    draw();
  });
  i18n.onChange(draw);
  setInterval(refresh, REFRESH_MS);

  fillOptions(app);
  return load(false);
}

/** The reason and family choices of the filter, from /api/reasons and /api/families (refreshed: new families appear). */
function fillOptions(app) {
  const { api, i18n } = app;
  const keyOf = (item) => (typeof item === 'string' ? item : (item?.key ?? item?.code ?? ''));
  let reasonKeys = [];
  let familyKeys = [];
  const put = (select, keys, label) => {
    const chosen = select.value;
    const all = el('option', { value: '' }, i18n.t(select.dataset.allKey));
    select.replaceChildren(all, ...keys.filter((k) => k !== '').map((k) => el('option', { value: k, selected: k === chosen }, label(k))));
  };
  const draw = () => {
    put(byId('filter-reason'), reasonKeys, (k) => {
      const words = i18n.t(`reason.${k}`);
      return words === `reason.${k}` ? k : `${k} — ${words}`;
    });
    put(byId('filter-family'), familyKeys, (k) => k);
  };
  const refresh = async () => {
    try {
      const [reasons, families] = await Promise.all([api.get('/api/reasons'), api.get('/api/families')]);
      const nextReasons = (reasons.reasons ?? []).map(keyOf);
      const nextFamilies = (families.families ?? []).map(keyOf).sort();
      if (nextReasons.join() === reasonKeys.join() && nextFamilies.join() === familyKeys.join()) return;
      reasonKeys = nextReasons;
      familyKeys = nextFamilies;
      draw();
    } catch (error) {
      app.report(error);
    }
  };
  draw();
  i18n.onChange(draw);
  setInterval(refresh, 20_000);
  return refresh();
}
