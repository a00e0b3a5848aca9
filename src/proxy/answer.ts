/** Answers a request from its server transaction with a response the guard makes itself (§16.2, §8.2.6). */
import { isSipError } from '../sip/errors.js';
import type { ServerTransaction } from '../transaction/transaction-user.js';
import { buildResponse } from '../transaction/build-response.js';
import { newAliasToken } from './alias-token.js';

export function answer(server: ServerTransaction, status: number, reason: string, extra: ReadonlyArray<readonly [string, string]> = []): boolean {
  // §8.2.6.2: a final response other than 100 to a request without a To tag gets one (ours: random).
  const response = buildResponse(server.request, status, reason, status > 100 ? { toTag: newAliasToken().slice(0, 12) } : {});
  if (isSipError(response)) return false;
  for (const [name, value] of extra) response.addHeader(name, value);
  return server.respond(response);
}
