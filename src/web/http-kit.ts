/**
 * The web layer's small HTTP helpers on node:http: coded errors (`ApiError`, answered as
 * `{ "error": { "code", "message", ...details } }`, e.g. a ban refusal's `refused` and `address`), JSON and text replies with the security headers, and a
 * request body reader with a hard size cap (a client cannot make the guard buffer without bound).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ApiErrorCode =
  | 'GG_NOT_FOUND'
  | 'GG_METHOD_NOT_ALLOWED'
  | 'GG_UNAUTHORIZED'
  | 'GG_BAD_REQUEST'
  | 'GG_BAD_JSON'
  | 'GG_BODY_TOO_LARGE'
  | 'GG_INVALID'
  | 'GG_BAN_REFUSED'
  | 'GG_BUSY'
  | 'GG_UNAVAILABLE'
  | 'GG_INTERNAL';

/**
 * An error with its HTTP status and a stable code, answered to the client as it is. `details` are
 * extra machine fields beside `code` and `message` (plain strings; they never replace those two).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: Readonly<Record<string, string>>;

  constructor(status: number, code: ApiErrorCode, message: string, details: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Content-Security-Policy: the page may load and connect to this origin only. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  send(res, status, 'application/json; charset=utf-8', text, headers);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  send(res, status, contentType, body, headers);
}

export function sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: { ...error.details, code: error.code, message: error.message } }, headers);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers });
  res.end();
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType,
    'Content-Length': String(length),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** Default cap of a request body (the API takes small JSON objects only). */
export const MAX_BODY_BYTES = 16 * 1024;

/** Reads the body as JSON; 413 past `maxBytes` (the rest is not read), 400 when it is not JSON. */
export async function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw new ApiError(413, 'GG_BODY_TOO_LARGE', `the request body is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError(413, 'GG_BODY_TOO_LARGE', `the request body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim().length === 0) throw new ApiError(400, 'GG_BAD_JSON', 'the request needs a JSON body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'GG_BAD_JSON', 'the request body is not valid JSON');
  }
}

/** An integer query parameter within [min, max]; `fallback` when absent; 400 otherwise. */
export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number;
export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: undefined): number | undefined;
export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number | undefined): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^-?[0-9]{1,16}$/.test(text)) throw new ApiError(400, 'GG_BAD_REQUEST', `${name} must be a whole number from ${min} to ${max}`);
  const value = Number(text);
  if (value < min || value > max) throw new ApiError(400, 'GG_BAD_REQUEST', `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** A string query parameter of at most `maxLength` characters, or undefined when absent or empty. */
export function textParam(query: URLSearchParams, name: string, maxLength = 200): string | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (text.length > maxLength) throw new ApiError(400, 'GG_BAD_REQUEST', `${name} is longer than ${maxLength} characters`);
  return text;
}
