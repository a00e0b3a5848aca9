/**
 * api-errors.js (a browser module without DOM): an API failure maps to a dictionary key that both
 * languages word, with the API's English message only for a code the page does not know.
 */
import { describe, expect, it } from 'vitest';

interface Said {
  key: string;
  params: Record<string, string>;
}
interface ErrorsModule {
  errorText(error: unknown): Said;
}
interface ApiModule {
  ApiError: new (status: number, code: string, message: string, details?: Record<string, unknown>) => Error & { refused: string | null; address: string | null };
}
interface I18nModule {
  I18n: new (lang: string, storage: null) => { t(key: string, params?: Record<string, unknown>): string; set(lang: string): void };
}
interface DictionaryModule {
  DICTIONARY: Record<string, Record<string, string>>;
}

// Plain browser modules: loaded untyped, described by the interfaces above.
const { errorText } = (await import('./api-errors.js' as string)) as ErrorsModule;
const { ApiError } = (await import('./api.js' as string)) as ApiModule;
const { I18n } = (await import('./i18n.js' as string)) as I18nModule;
const { DICTIONARY } = (await import('./dictionary.js' as string)) as DictionaryModule;

const refusal = (refused: string, address?: string) => new ApiError(409, 'GG_BAN_REFUSED', 'the English words', address === undefined ? { refused } : { refused, address });

describe('the words for an API failure', () => {
  it('a ban refusal: its kind, with the address', () => {
    for (const kind of ['provider', 'lan', 'phone', 'invalid']) {
      expect(errorText(refusal(kind, '192.0.2.1'))).toEqual({ key: `error.refused.${kind}`, params: { address: '192.0.2.1' } });
    }
    expect(errorText(refusal('invalid'))).toEqual({ key: 'error.refused.invalidInput', params: {} });
  });

  it('the generic ones: token, guard not running, busy, network; by code, else by status', () => {
    expect(errorText(new ApiError(401, 'GG_UNAUTHORIZED', 'x')).key).toBe('error.code.GG_UNAUTHORIZED');
    expect(errorText(new ApiError(503, 'GG_UNAVAILABLE', 'x')).key).toBe('error.code.GG_UNAVAILABLE');
    expect(errorText(new ApiError(503, 'GG_BUSY', 'x')).key).toBe('error.code.GG_BUSY');
    expect(errorText(new ApiError(0, 'network', 'Failed to fetch')).key).toBe('error.code.network');
    // A proxy's bare 503 (no JSON body): api.js makes the code "http-503".
    expect(errorText(new ApiError(503, 'http-503', 'Service Unavailable')).key).toBe('error.code.GG_UNAVAILABLE');
    expect(errorText(new ApiError(401, 'http-401', 'Unauthorized')).key).toBe('error.code.GG_UNAUTHORIZED');
  });

  it('an unknown code or kind, or a plain Error: the API’s own message', () => {
    expect(errorText(new ApiError(400, 'GG_SOMETHING_NEW', 'something new happened'))).toEqual({ key: 'error.asSaid', params: { message: 'something new happened' } });
    expect(errorText(refusal('martian', '192.0.2.1'))).toEqual({ key: 'error.asSaid', params: { message: 'the English words' } });
    expect(errorText(new Error('boom'))).toEqual({ key: 'error.asSaid', params: { message: 'boom' } });
    expect(errorText('text')).toEqual({ key: 'error.asSaid', params: { message: 'text' } });
  });

  it('api.js keeps only string machine fields', () => {
    const e = new ApiError(409, 'GG_BAN_REFUSED', 'm', { refused: 'lan', address: 7, code: 'x' });
    expect(e.refused).toBe('lan');
    expect(e.address).toBeNull();
    expect(new ApiError(500, 'GG_INTERNAL', 'm').refused).toBeNull();
  });

  it('every key it can give is worded in both languages, and a refusal follows the language', () => {
    const keys = ['provider', 'lan', 'phone', 'invalid', 'invalidInput'].map((k) => `error.refused.${k}`);
    keys.push(...['GG_UNAUTHORIZED', 'GG_UNAVAILABLE', 'GG_BUSY', 'GG_INTERNAL', 'GG_BODY_TOO_LARGE', 'network'].map((c) => `error.code.${c}`), 'error.asSaid');
    for (const lang of ['en', 'ja']) for (const key of keys) expect(DICTIONARY[lang]![key], `${lang} ${key}`).toBeTruthy();
    const i18n = new I18n('en', null);
    const said = errorText(refusal('provider', '203.0.113.5'));
    expect(i18n.t(said.key, said.params)).toBe('203.0.113.5 is your provider’s address: ghostguard never bans it (its calls would stop reaching you).');
    i18n.set('ja');
    expect(i18n.t(said.key, said.params)).toBe('203.0.113.5 はプロバイダーのアドレスです。ghostguard は決して遮断しません（着信が届かなくなるため）。');
    const unknown = errorText(new ApiError(400, 'GG_NEW', 'as the API said'));
    expect(i18n.t(unknown.key, unknown.params)).toBe('as the API said');
  });
});
