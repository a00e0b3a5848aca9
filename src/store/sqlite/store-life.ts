/** Whether a store is still open, shared by its parts so that each refuses work after `close()`. */
import { StoreError } from '../store-error.js';

export class StoreLife {
  closed = false;

  assertOpen(): void {
    if (this.closed) throw new StoreError('GG_ERR_STORE_CLOSED', 'the store is closed');
  }
}
