/**
 * Typed parse and validation errors.
 *
 * The SIP layer never throws on bad input: every function that reads attacker bytes returns either its
 * value or a `SipError`. A `SipError` is a plain value (no stack trace is captured), cheap enough to
 * return for every packet of a flood.
 *
 * `offset` is a byte offset: into the whole message for message-level errors, or into the string that
 * was handed to a value parser (the message accessors add the header value's own offset).
 */
export type SipErrorCode =
  // framing and start line
  | 'SIP_EMPTY' // no bytes, or only whitespace
  | 'SIP_TOO_LARGE' // over the configured maximum message size
  | 'SIP_NOT_SIP' // the bytes do not look like a SIP message at all (binary, HTTP, ...)
  | 'SIP_BAD_START_LINE'
  | 'SIP_BAD_VERSION'
  | 'SIP_BAD_METHOD'
  | 'SIP_BAD_STATUS'
  | 'SIP_BAD_HEADER' // a header line without a colon, an empty or invalid header name
  | 'SIP_TOO_MANY_HEADERS'
  | 'SIP_HEADERS_UNTERMINATED' // no empty line after the headers
  | 'SIP_BAD_CONTENT_LENGTH' // not a number, negative, duplicated with different values
  | 'SIP_BODY_TRUNCATED' // datagram body shorter than Content-Length
  // header values
  | 'SIP_BAD_URI'
  | 'SIP_BAD_NAME_ADDR'
  | 'SIP_BAD_VIA'
  | 'SIP_BAD_CSEQ'
  | 'SIP_BAD_MAX_FORWARDS'
  | 'SIP_BAD_CALL_ID'
  | 'SIP_BAD_CONTACT'
  | 'SIP_BAD_EXPIRES'
  | 'SIP_BAD_PARAM'
  | 'SIP_BAD_DIGEST'
  | 'SIP_BAD_HEADER_VALUE'
  // semantic validation (validate.ts)
  | 'SIP_MISSING_HEADER'
  | 'SIP_DUPLICATE_HEADER'
  | 'SIP_CSEQ_METHOD_MISMATCH'
  | 'SIP_UNSUPPORTED_URI_SCHEME'
  | 'SIP_TOO_MANY_HOPS'
  | 'SIP_UNSUPPORTED_VERSION';

export class SipError {
  /** Discriminant, so that `value.isError` narrows without `instanceof` where that is handier. */
  readonly isError = true as const;

  constructor(
    readonly code: SipErrorCode,
    readonly message: string,
    readonly offset: number,
  ) {}

  /** The same error moved by `delta` bytes (a value error re-based onto its place in the message). */
  shifted(delta: number): SipError {
    return delta === 0 ? this : new SipError(this.code, this.message, this.offset + delta);
  }

  toJSON(): { code: SipErrorCode; message: string; offset: number } {
    return { code: this.code, message: this.message, offset: this.offset };
  }
}

export function isSipError(value: unknown): value is SipError {
  return value instanceof SipError;
}
