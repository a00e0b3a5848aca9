/**
 * A located configuration error. Validation collects every one of them, so that a user fixes the whole
 * file in one go rather than one error per start.
 */
export interface ConfigError {
  readonly code: 'GG_ERR_CONFIG';
  /** Dotted key path, e.g. "wan.listen" or "provider.trusted[1]"; "" for the document itself. */
  readonly path: string;
  /** 1-based line and column of the offending node, when it is known. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** The file (or name) the configuration came from. */
  readonly source?: string;
}

export type ConfigResult<T> =
  | { readonly ok: true; readonly config: T }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/** One line, e.g. `ghostguard.yaml:7:11: wan.listen: port 70000 is out of range (0..65535) [GG_ERR_CONFIG]`. */
export function formatConfigError(error: ConfigError): string {
  let where = error.source ?? '';
  if (error.line !== undefined) where += `${where ? ':' : 'line '}${error.line}:${error.column ?? 1}`;
  const prefix = where ? `${where}: ` : '';
  const path = error.path ? `${error.path}: ` : '';
  return `${prefix}${path}${error.message} [${error.code}]`;
}
