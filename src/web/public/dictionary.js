/**
 * Every UI string of the dashboard, in both languages: `DICTIONARY[lang][key]`. The two languages
 * have the same keys (the browser test checks it); the guard's explanations come from the API.
 */
import { EN } from './dictionary-en.js';
import { JA } from './dictionary-ja.js';

export const LANGUAGES = ['en', 'ja'];

export const DICTIONARY = { en: EN, ja: JA };
