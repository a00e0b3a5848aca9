/**
 * Errors of the store. Opening, migrating and querying throw a `StoreError` (these are start-up or
 * operator actions, not per-packet work); recording an event never throws.
 */
export type StoreErrorCode =
  /** The database could not be opened, read or written (path, permissions, disk full, not SQLite). */
  | 'GG_ERR_STORE'
  /** The database was written by a newer ghostguard (its schema version is above this build's). */
  | 'GG_ERR_STORE_VERSION'
  /** The file is an SQLite database of something else (tables, but no ghostguard schema version). */
  | 'GG_ERR_STORE_FOREIGN'
  /** A query argument is invalid (e.g. a cursor that did not come from this store). */
  | 'GG_ERR_STORE_QUERY'
  /** The store was used after `close()`. */
  | 'GG_ERR_STORE_CLOSED';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
