/**
 * The page's language (i18n.js, dictionary.js; browser modules without DOM): the starting language,
 * `{name}` placeholders, the choice remembered, and both dictionaries complete.
 */
import { describe, expect, it } from 'vitest';

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
interface I18nModule {
  initialLanguage(storage: Storage | null, languages: readonly string[]): string;
  I18n: new (lang: string, storage: Storage | null) => { lang: string; t(key: string, params?: Record<string, unknown>): string; set(lang: string): void; onChange(fn: (lang: string) => void): void };
}
interface DictionaryModule {
  LANGUAGES: string[];
  DICTIONARY: Record<string, Record<string, string>>;
}

// Plain browser modules: loaded untyped, described by the interfaces above.
const { initialLanguage, I18n } = (await import('./i18n.js' as string)) as I18nModule;
const { DICTIONARY, LANGUAGES } = (await import('./dictionary.js' as string)) as DictionaryModule;

const memory = (saved: string | null = null): Storage & { saved: string | null } => ({
  saved,
  getItem() {
    return this.saved;
  },
  setItem(_key, value) {
    this.saved = value;
  },
});

describe('the dashboard language', () => {
  it('starts with the remembered choice, else the first browser language it speaks, else English', () => {
    expect(initialLanguage(memory('ja'), ['en-US'])).toBe('ja');
    expect(initialLanguage(memory(), ['fr-FR', 'ja-JP', 'en'])).toBe('ja');
    expect(initialLanguage(memory('xx'), ['EN-gb'])).toBe('en');
    expect(initialLanguage(null, ['de'])).toBe('en');
  });

  it('fills placeholders, falls back to the key, remembers a change and tells listeners', () => {
    const storage = memory();
    const i18n = new I18n('en', storage);
    const heard: string[] = [];
    i18n.onChange((lang) => heard.push(lang));
    expect(i18n.t('status.wanPort', { port: 5071 })).toBe('WAN port 5071');
    expect(i18n.t('no.such.key')).toBe('no.such.key');
    i18n.set('ja');
    expect(i18n.t('status.wanPort', { port: 5071 })).toBe('WAN ポート 5071');
    expect(storage.saved).toBe('ja');
    i18n.set('xx');
    expect(i18n.lang).toBe('ja');
    expect(heard).toEqual(['ja']);
  });

  it('has every UI string in both languages, with the same placeholders', () => {
    expect(LANGUAGES).toEqual(['en', 'ja']);
    const en = DICTIONARY['en']!;
    const ja = DICTIONARY['ja']!;
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    const holes = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of Object.keys(en)) {
      expect(ja[key]!.trim(), key).not.toBe('');
      expect(holes(ja[key]!), key).toEqual(holes(en[key]!));
    }
  });
});
