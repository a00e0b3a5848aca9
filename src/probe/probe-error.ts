/** A coded error of the probe: a target it cannot probe (bad syntax, too many ports, no address), or no socket to probe from. */
export type ProbeErrorCode = 'GG_ERR_PROBE_TARGET' | 'GG_ERR_PROBE_RESOLVE' | 'GG_ERR_PROBE_SOCKET';

export class ProbeError extends Error {
  readonly code: ProbeErrorCode;

  constructor(code: ProbeErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProbeError';
    this.code = code;
  }
}
