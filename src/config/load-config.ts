/**
 * `loadConfig(path)`: reads a config file and validates it. A file that cannot be read is reported as a
 * {@link ConfigError} like any other problem, never thrown.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import type { ConfigResult } from './config-error.js';
import { parseConfig, type ParseConfigOptions } from './parse-config.js';

export function loadConfig(path: string, options: Omit<ParseConfigOptions, 'baseDir'> = {}): ConfigResult<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return {
      ok: false,
      errors: [{ code: 'GG_ERR_CONFIG', path: '', message: `cannot read ${resolve(path)}: ${reason}`, source: path }],
    };
  }
  return parseConfig(text, path, options);
}
