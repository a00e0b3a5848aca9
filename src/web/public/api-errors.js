/**
 * What an API failure says in the dashboard's language: `errorText(error)` maps an ApiError's
 * `code`, `refused` (a ban refusal's kind) and `status` to a dictionary key and its params. The key
 * is kept, not the text, so that a message shown follows a change of language. A code the page does
 * not know falls back to the API's own (English) message.
 */

/** Ban refusal kinds the dictionary words (`error.refused.KIND`). */
const REFUSALS = ['provider', 'lan', 'phone', 'invalid'];

/** Error codes with a wording of their own (`error.code.CODE`). */
const CODES = ['GG_UNAUTHORIZED', 'GG_UNAVAILABLE', 'GG_BUSY', 'GG_INTERNAL', 'GG_BODY_TOO_LARGE', 'network'];

/** `{ key, params }` for `i18n.t`: the words for a failed API call (an ApiError from api.js, or anything thrown). */
export function errorText(error) {
  const code = typeof error?.code === 'string' ? error.code : '';
  const refused = typeof error?.refused === 'string' ? error.refused : '';
  const address = typeof error?.address === 'string' && error.address !== '' ? error.address : null;
  if (REFUSALS.includes(refused)) {
    if (address === null) return { key: 'error.refused.invalidInput', params: {} };
    return { key: `error.refused.${refused}`, params: { address } };
  }
  if (CODES.includes(code)) return { key: `error.code.${code}`, params: {} };
  if (error?.status === 401) return { key: 'error.code.GG_UNAUTHORIZED', params: {} };
  if (error?.status === 503) return { key: 'error.code.GG_UNAVAILABLE', params: {} };
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : String(error);
  return { key: 'error.asSaid', params: { message } };
}
