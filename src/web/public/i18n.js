/**
 * The page's language: English or Japanese, from localStorage, else navigator.language. `t(key,
 * params)` looks a UI string up in the dictionary and fills `{name}` placeholders; `apply()` writes
 * the static strings of the page (elements marked `data-i18n` / `data-i18n-attr`).
 */
import { DICTIONARY, LANGUAGES } from './dictionary.js';

const STORAGE_KEY = 'ghostguard.lang';

/** The language to start in: the one chosen before, else the browser's if we speak it, else English. */
export function initialLanguage(storage, navigatorLanguages) {
  let saved = null;
  try {
    saved = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    // storage disabled: fall through to the browser's language
  }
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigatorLanguages ?? []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export class I18n {
  #listeners = new Set();
  #storage;

  constructor(lang, storage) {
    this.lang = lang;
    this.#storage = storage;
  }

  /** The UI string `key` in the current language, `{name}` filled from params. */
  t(key, params = {}) {
    const template = DICTIONARY[this.lang][key] ?? DICTIONARY.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  set(lang) {
    if (!LANGUAGES.includes(lang) || lang === this.lang) return;
    this.lang = lang;
    try {
      this.#storage?.setItem(STORAGE_KEY, lang);
    } catch {
      // not remembered: the choice still holds for this page
    }
    for (const fn of this.#listeners) fn(lang);
  }

  onChange(fn) {
    this.#listeners.add(fn);
  }

  /** Writes the static strings of `root` in the current language. */
  apply(root) {
    document.documentElement.lang = this.lang;
    for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = this.t(node.dataset.i18n);
    for (const node of root.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of node.dataset.i18nAttr.split(';')) {
        const [attr, key] = pair.split(':');
        if (attr && key) node.setAttribute(attr.trim(), this.t(key.trim()));
      }
    }
  }
}
