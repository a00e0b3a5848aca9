/**
 * The dashboard's files: `GET /` is `index.html`, `GET /assets/NAME` is `NAME` of the public folder
 * (src/web/public, found from this module's own location so that it works from src/ and from dist/).
 * Only plain file names are served (letters, digits, `.`, `_`, `-`; no leading dot, no `..`, no
 * folders), so nothing outside the folder can be named.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApiError, sendText } from './http-kit.js';

export const DEFAULT_PUBLIC_DIR = new URL('../../src/web/public/', import.meta.url);

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export async function serveFile(res: ServerResponse, folder: URL, name: string): Promise<void> {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new ApiError(404, 'GG_NOT_FOUND', 'no such file');
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const type = TYPES[ext];
  if (type === undefined) throw new ApiError(404, 'GG_NOT_FOUND', 'no such file');
  let body: Buffer;
  try {
    body = await readFile(new URL(name, folder));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const folderMissing = await readFile(new URL('index.html', folder)).then(
      () => false,
      () => true,
    );
    if (folderMissing) {
      throw new ApiError(500, 'GG_INTERNAL', `the dashboard's files are missing (looked in ${fileURLToPath(folder)}); the API still works`);
    }
    throw new ApiError(404, 'GG_NOT_FOUND', 'no such file');
  }
  const cache = ext === 'html' ? 'no-store' : 'no-cache';
  sendText(res, 200, type, body, { 'Cache-Control': cache });
}
