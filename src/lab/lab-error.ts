/** Why the lab could not start, with a code like the rest of ghostguard's errors. */
export type LabErrorCode = 'GG_ERR_LAB_ADDRESS' | 'GG_ERR_LAB_STATE';

export class LabError extends Error {
  override readonly name = 'LabError';

  constructor(
    readonly code: LabErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The hint for a loopback address that cannot be bound (macOS has only 127.0.0.1 on lo0 by default). */
export function loopbackHint(address: string): string {
  return (
    `cannot use the loopback address ${address}: the demo gives the provider, the guard, the phone and each ` +
    'scanner their own address in 127.0.0.0/8, which Linux provides without setup' +
    ' (on macOS: sudo ifconfig lo0 alias ' + address + ' up)'
  );
}
