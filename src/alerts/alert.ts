/**
 * An alert: something the user should hear about (registration lost or restored, new bans, the daily
 * digest), written once in English and Japanese. Channels pick the language(s) they were configured for.
 */
import type { AlertLang } from '../config/alerts-config.js';

/** What the alert is about; stable, also the `kind` of the webhook body. */
export type AlertKind =
  | 'registration-lost'
  | 'registration-restored'
  | 'bans'
  | 'digest'
  | 'quiet-summary'
  | 'test';

export interface Bilingual {
  readonly en: string;
  readonly ja: string;
}

/** Which language(s) a channel delivers: English, Japanese, or both (Japanese first, then English). */
export type { AlertLang };

export interface Alert {
  readonly kind: AlertKind;
  /** When it happened, ms since the epoch. */
  readonly at: number;
  readonly title: Bilingual;
  /** One or more paragraphs of plain text. */
  readonly text: Bilingual;
  /** Machine-readable facts (counts, addresses, the account), JSON-safe. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** The languages of `lang`, in the order a channel shows them. */
export function languages(lang: AlertLang): Array<'en' | 'ja'> {
  return lang === 'both' ? ['ja', 'en'] : [lang];
}

/** One subject line: "ja / en" for both. */
export function titleIn(alert: Alert, lang: AlertLang): string {
  return languages(lang).map((l) => alert.title[l]).join(' / ');
}

/** The plain-text body: both languages separated by a rule when `both`. */
export function textIn(alert: Alert, lang: AlertLang): string {
  return languages(lang).map((l) => alert.text[l]).join('\n\n----\n\n');
}
