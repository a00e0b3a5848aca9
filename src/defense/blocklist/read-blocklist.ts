/**
 * Fetches a blocklist's text from a file or an http(s) URL, bounded: at most `maxBytes` (default
 * 10 MiB; a longer list is refused, not cut, so that a truncated line is never read as an address) and,
 * for a URL, at most `timeoutMs` (default 30 s) for the whole download. Failures come back as values
 * with a plain message, never as exceptions.
 */
import { open } from 'node:fs/promises';

export type BlocklistSource = { readonly file: string } | { readonly url: string };

export interface ReadBlocklistOptions {
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  /** For tests; default the global fetch. */
  readonly fetch?: typeof fetch;
}

export type ReadBlocklistResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function describeSource(source: BlocklistSource): string {
  return 'file' in source ? source.file : source.url;
}

/** `http(s)://...` is a URL, anything else a file path. */
export function sourceOf(text: string): BlocklistSource {
  return /^https?:\/\//i.test(text) ? { url: text } : { file: text };
}

export async function readBlocklist(source: BlocklistSource, options: ReadBlocklistOptions = {}): Promise<ReadBlocklistResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return 'file' in source ? readFileBounded(source.file, maxBytes) : fetchBounded(source.url, maxBytes, options);
}

function tooBig(what: string, maxBytes: number): ReadBlocklistResult {
  return { ok: false, error: `${what} is larger than ${maxBytes} bytes, the limit for a blocklist` };
}

async function readFileBounded(path: string, maxBytes: number): Promise<ReadBlocklistResult> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return { ok: false, error: `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, error: `${path} is not a file` };
    if (info.size > maxBytes) return tooBig(path, maxBytes);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return tooBig(path, maxBytes);
    }
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    return { ok: false, error: `cannot read ${path}: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}

async function fetchBounded(url: string, maxBytes: number, options: ReadBlocklistOptions): Promise<ReadBlocklistResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await (options.fetch ?? fetch)(url, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, error: `${url} answered ${response.status} ${response.statusText}`.trim() };
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      return tooBig(url, maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    if (response.body !== null) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        length += value.byteLength;
        if (length > maxBytes) {
          await reader.cancel();
          return tooBig(url, maxBytes);
        }
        chunks.push(value);
      }
    }
    return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (signal.aborted) return { ok: false, error: `${url} did not answer within ${timeoutMs} ms` };
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { ok: false, error: `cannot fetch ${url}: ${(error as Error).message}${cause ? ` (${cause})` : ''}` };
  }
}
