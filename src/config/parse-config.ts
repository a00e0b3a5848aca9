/**
 * `parseConfig(text, sourceName)`: YAML text to a validated {@link Config}, or every error found, each
 * located by line and column. A YAML syntax error stops there (the structure behind it is unreliable);
 * otherwise every key is checked in one pass.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import type { Config } from './config.js';
import type { ConfigError, ConfigResult } from './config-error.js';
import { ConfigReader } from './config-reader.js';
import { CONFIG_KEYS, readConfig } from './read-config.js';

export interface ParseConfigOptions {
  /** Folder for relative paths (store, TLS files); default: the folder of `sourceName`. */
  readonly baseDir?: string;
  /** Whether a regular file exists (TLS certificate and key); default: asks the file system. */
  readonly fileExists?: (path: string) => boolean;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A hint for the YAML mistake people make most with SIP addresses: `[::1]:5060` starts a YAML list. */
function syntaxHint(text: string, lineNumber: number): string {
  const line = text.split('\n')[lineNumber - 1] ?? '';
  return line.includes(']:') && line.includes('[')
    ? ' (an IPv6 address with a port must be quoted, e.g. "[2001:db8::1]:5060")'
    : '';
}

export function parseConfig(text: string, sourceName: string, options: ParseConfigOptions = {}): ConfigResult<Config> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errors: ConfigError[] = doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      const message = e.message.split('\n')[0] ?? e.message;
      return {
        code: 'GG_ERR_CONFIG',
        path: '',
        line: at.line,
        column: at.col,
        message: `YAML syntax: ${message}${syntaxHint(text, at.line)}`,
        source: sourceName,
      };
    });
    return { ok: false, errors };
  }
  const reader = new ConfigReader(lines, sourceName, CONFIG_KEYS);
  const config = readConfig(reader, reader.root(doc.contents as Node | null), sourceName, {
    baseDir: options.baseDir ?? dirname(resolve(sourceName)),
    fileExists: options.fileExists ?? isFile,
  });
  if (config === null || reader.errors.length > 0) {
    const errors = [...reader.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { ok: false, errors };
  }
  return { ok: true, config };
}
