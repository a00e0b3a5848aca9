/**
 * What the capture reader (src/analyze/capture) hands the analyzer: one SIP-looking payload with where
 * and when it was seen. A UDP datagram (after IP reassembly) is one payload; a TCP stream is cut into
 * messages by Content-Length (src/sip/framing.ts) after segment reassembly.
 */
export interface CaptureEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface CapturedMessage {
  /** The file it came from (as given). */
  readonly file: string;
  /** 1-based number of the frame that completed the message (as Wireshark counts frames). */
  readonly frame: number;
  /** ms since the epoch, with the capture's sub-ms precision kept as a fraction. */
  readonly time: number;
  readonly src: CaptureEndpoint;
  readonly dst: CaptureEndpoint;
  readonly transport: 'udp' | 'tcp';
  /** The message bytes (may be a view into a reused buffer only until the next message is pulled: copy to keep). */
  readonly bytes: Uint8Array;
}

export interface CaptureProgress {
  readonly file: string;
  readonly bytesRead: number;
  /** Null when the size is unknown (a pipe). */
  readonly totalBytes: number | null;
  readonly frames: number;
}

export interface CaptureReadOptions {
  /** Called now and then (at most every ~100 ms of work) while reading. */
  readonly onProgress?: (progress: CaptureProgress) => void;
  /** Stops reading early. */
  readonly signal?: AbortSignal;
}

/** Why a capture (or part of it) could not be read; `frame` is null for file-level problems. */
export interface CaptureProblem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
  readonly frame: number | null;
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset?: number;
}
