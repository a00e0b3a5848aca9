/**
 * The daily digest, computed from the event store over a window (the last 24 h): ghost call attempts
 * (dialog-initial INVITEs — no To tag — that the guard refused or dropped on the WAN leg), the scanners
 * behind them (distinct source addresses) by family, how many of them came from the provider's own
 * addresses (those may have been real calls), requests from banned addresses, short outages of the
 * provider registration that healed before an alert was due, and — when the guard can tell — how many
 * calls from the provider were put through to a phone (dialog-initial INVITEs relayed from the WAN leg
 * to the LAN leg: not the provider's OPTIONS keep-alives, not REGISTER, not in-call requests).
 *
 * Reading is bounded: at most {@link MAX_ROWS} event rows are looked at; beyond, the numbers are
 * lower bounds and the digest says "at least".
 */
import type { EventStore } from '../store/event-store.js';
import type { StoredEvent } from '../store/guard-event.js';
import type { Alert } from './alert.js';

const MAX_ROWS = 200_000;
const PAGE = 1000;
const MAX_FAMILIES = 50;
/** The source address of overflow rows (many sources counted together). */
const OVERFLOW_SOURCE = '*';

export interface DigestFacts {
  readonly since: number;
  readonly until: number;
  readonly ghostCalls: number;
  readonly scanners: number;
  /** Ghost call attempts per scanner family ('unknown' when no fingerprint matched), largest first. */
  readonly families: ReadonlyArray<readonly [string, number]>;
  /** Refused INVITEs that came from provider addresses (not 'not-from-provider'). */
  readonly fromProvider: number;
  /** Requests dropped unread because their source was banned. */
  readonly fromBanned: number;
  /** Every blocked request in the window. */
  readonly blocked: number;
  /** New calls (dialog-initial INVITEs) relayed from the provider to a phone, when known. */
  readonly callsReached: number | null;
  /** Registration losses that healed within the hold time (no alert was sent), and that hold in seconds. */
  readonly shortOutages: { readonly count: number; readonly withinS: number };
  /** True when the window held more rows than were read: the counts are lower bounds. */
  readonly partial: boolean;
}

function hasToTag(to: string | null): boolean {
  return to !== null && /;\s*tag=/i.test(to);
}

/** What the digest gets from counters outside the event store. */
export interface DigestCounters {
  readonly callsReached?: number | null;
  readonly shortOutages?: { readonly count: number; readonly withinS: number };
}

export function digestFacts(events: EventStore, since: number, until: number, counters: DigestCounters = {}): DigestFacts {
  let ghostCalls = 0;
  let fromProvider = 0;
  const sources = new Set<string>();
  const families = new Map<string, number>();
  let read = 0;
  let cursor: string | null = null;
  let partial = false;
  const countRow = (row: StoredEvent): void => {
    if (row.time >= until || row.lastTime < since) return;
    if (row.method !== 'INVITE' || hasToTag(row.to)) return;
    ghostCalls += row.count;
    if (row.flow.remoteAddress !== OVERFLOW_SOURCE) sources.add(row.flow.remoteAddress);
    if (!row.reasons.includes('not-from-provider')) fromProvider += row.count;
    const family = row.family ?? 'unknown';
    if (families.has(family) || families.size < MAX_FAMILIES) families.set(family, (families.get(family) ?? 0) + row.count);
  };
  do {
    const page = events.query({ since, until, leg: 'wan', text: 'INVITE', limit: PAGE, cursor });
    for (const row of page.events) countRow(row);
    read += page.events.length;
    cursor = page.nextCursor;
    if (cursor !== null && read >= MAX_ROWS) partial = true;
  } while (cursor !== null && !partial);
  return {
    since,
    until,
    ghostCalls,
    scanners: sources.size,
    families: [...families].sort((a, b) => b[1] - a[1]),
    fromProvider,
    fromBanned: events.count({ since, until, reason: 'banned' }).events,
    blocked: events.count({ since, until }).events,
    callsReached: counters.callsReached ?? null,
    shortOutages: counters.shortOutages ?? { count: 0, withinS: 0 },
    partial,
  };
}

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function digestAlert(f: DigestFacts, at: number): Alert {
  const atLeast = f.partial ? { en: 'at least ', ja: '少なくとも' } : { en: '', ja: '' };
  const hours = Math.round((f.until - f.since) / 3_600_000);
  const title =
    f.ghostCalls === 0
      ? { en: `Last ${hours} hours: no ghost calls`, ja: `過去${hours}時間：ゴースト着信はありませんでした` }
      : {
          en: `Last ${hours} hours: blocked ${atLeast.en}${plural(f.ghostCalls, 'ghost call', 'ghost calls')} from ${plural(f.scanners, 'scanner', 'scanners')}`,
          ja: `過去${hours}時間：${f.scanners} 件のスキャナーからのゴースト着信を${atLeast.ja} ${f.ghostCalls} 件ブロック`,
        };
  const en: string[] = [];
  const ja: string[] = [];
  if (f.ghostCalls === 0) {
    en.push(`No ghost calls were sent to you in the last ${hours} hours.`);
    ja.push(`過去${hours}時間、ゴースト着信はありませんでした。`);
  } else {
    const families = f.families.map(([name, n]) => `${name} ${n}`).join(', ');
    en.push(`ghostguard blocked ${atLeast.en}${plural(f.ghostCalls, 'ghost call', 'ghost calls')} from ${plural(f.scanners, 'scanner', 'scanners')} in the last ${hours} hours; your phone did not ring for any of them.`);
    ja.push(`過去${hours}時間に ${f.scanners} 件のスキャナーからのゴースト着信を${atLeast.ja} ${f.ghostCalls} 件ブロックしました。電話機は鳴っていません。`);
    en.push(`By scanner family: ${families}.`);
    ja.push(`スキャナーの種類別：${families}。`);
    if (f.fromProvider === 0) {
      en.push('None of them came from your provider.');
      ja.push('プロバイダーから来たものはありませんでした。');
    } else {
      en.push(`${plural(f.fromProvider, 'of them', 'of them')} came from your provider's addresses: these may have been real calls the guard could not match to a phone. Check them in the dashboard.`);
      ja.push(`うち ${f.fromProvider} 件はプロバイダーのアドレスから来ました。電話機に対応づけられなかった本物の着信の可能性があります。ダッシュボードで確認してください。`);
    }
  }
  if (f.fromBanned > 0) {
    en.push(`${plural(f.fromBanned, 'request', 'requests')} from banned addresses were dropped unread.`);
    ja.push(`遮断中のアドレスからの ${f.fromBanned} 件の通信を読まずに破棄しました。`);
  }
  en.push(`Blocked requests in all (calls, scans, probes): ${atLeast.en}${f.blocked.toLocaleString('en-US')}.`);
  ja.push(`ブロックした通信の合計（着信・スキャン・探査）：${atLeast.ja} ${f.blocked} 件。`);
  const outages = f.shortOutages;
  if (outages.count === 1) {
    en.push(`1 short outage of your provider registration: it came back within ${outages.withinS} s, so no alert was sent.`);
    ja.push(`プロバイダーへの登録が 1 回短時間切れましたが、${outages.withinS} 秒以内に回復したため、お知らせは送っていません。`);
  } else if (outages.count > 1) {
    en.push(`${plural(outages.count, 'short outage', 'short outages')} of your provider registration: each came back within ${outages.withinS} s, so no alert was sent. If this keeps happening, check your provider and your router (NAT).`);
    ja.push(`プロバイダーへの登録が ${outages.count} 回短時間切れましたが、いずれも ${outages.withinS} 秒以内に回復したため、お知らせは送っていません。たびたび起きる場合は、プロバイダーやルーター（NAT）を確認してください。`);
  }
  if (f.callsReached !== null) {
    const n = f.callsReached;
    en.push(`${plural(n, 'incoming call', 'incoming calls')} from your provider ${n === 1 ? 'was' : 'were'} put through to your phone.`);
    ja.push(`プロバイダーからの着信 ${n} 件を電話機に取り次ぎました。`);
  }
  return {
    kind: 'digest',
    at,
    title,
    text: { en: en.join(' '), ja: ja.join('') },
    details: {
      since: new Date(f.since).toISOString(),
      until: new Date(f.until).toISOString(),
      ghostCalls: f.ghostCalls,
      scanners: f.scanners,
      families: Object.fromEntries(f.families),
      fromProvider: f.fromProvider,
      fromBanned: f.fromBanned,
      blocked: f.blocked,
      callsReached: f.callsReached,
      shortOutages: outages.count,
      partial: f.partial,
    },
  };
}
