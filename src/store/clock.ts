/** The time seam: milliseconds since the Unix epoch. Tests inject a clock they move by hand. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
