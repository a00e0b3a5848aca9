import { describe, expect, it } from 'vitest';
import { BUSY_PER_SECOND, PAUSE_MS, TURN_BATCH, pauseAfterTurn } from './reader-pacing.js';

const EIGHT_MIB = 8_388_608; // what the guard's 4 MiB ask is granted with net.core.rmem_max at 4 MiB
const KERNEL_DEFAULT = 425_984; // 212,992 (rmem_max's usual default), doubled

describe('pauseAfterTurn', () => {
  it('pauses a busy reader that emptied the socket', () => {
    expect(pauseAfterTurn({ turn: 5, perSecond: 40_000, readers: 2, bufferBytes: EIGHT_MIB })).toBe(PAUSE_MS);
  });

  it('reads on while the socket is not empty (a full turn), or when the reader is not busy', () => {
    expect(pauseAfterTurn({ turn: TURN_BATCH, perSecond: 40_000, readers: 2, bufferBytes: EIGHT_MIB })).toBe(0);
    expect(pauseAfterTurn({ turn: 1, perSecond: BUSY_PER_SECOND - 1, readers: 2, bufferBytes: EIGHT_MIB })).toBe(0);
  });

  it('never pauses when the receive buffer could not hold four times what arrives meanwhile', () => {
    expect(pauseAfterTurn({ turn: 5, perSecond: 40_000, readers: 2, bufferBytes: KERNEL_DEFAULT })).toBe(0);
    expect(pauseAfterTurn({ turn: 5, perSecond: 10_000, readers: 1, bufferBytes: KERNEL_DEFAULT })).toBe(PAUSE_MS);
  });
});
