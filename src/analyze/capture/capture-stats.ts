/**
 * Counters of one capture read (all files of a `readCaptures` call), for the analyzer to print.
 * The reader only ever increments them; they are plain numbers so reading them costs nothing.
 */
export interface CaptureStats {
  /** Capture files opened and recognised. */
  files: number;
  /** Link-layer frames (records) read. */
  frames: number;
  /** File bytes read. */
  bytes: number;
  /** Frames that carried no IPv4/IPv6 (ARP, LLDP, unknown link or ethertype). */
  skippedNonIp: number;
  /** Frames cut short by the snaplen (or otherwise shorter than their IP length). */
  truncatedFrames: number;
  /** IP fragments seen. */
  fragments: number;
  /** Datagrams rebuilt from fragments. */
  fragmentsReassembled: number;
  /** Datagrams given up (timeout, table full, too large, end of capture), counted once each. */
  fragmentsDropped: number;
  /** UDP datagrams seen. */
  udpDatagrams: number;
  /** TCP segments seen. */
  tcpSegments: number;
  /** TCP streams (one per direction) tracked. */
  tcpStreams: number;
  /** TCP streams evicted because the table was full. */
  tcpStreamsEvicted: number;
  /** Holes in a TCP stream that could not be filled (the stream resynchronised after them). */
  tcpGaps: number;
  /** SIP-looking messages handed out. */
  messages: number;
  /** Problems reported (file-level and frame-level). */
  problems: number;
}

export function newCaptureStats(): CaptureStats {
  return {
    files: 0,
    frames: 0,
    bytes: 0,
    skippedNonIp: 0,
    truncatedFrames: 0,
    fragments: 0,
    fragmentsReassembled: 0,
    fragmentsDropped: 0,
    udpDatagrams: 0,
    tcpSegments: 0,
    tcpStreams: 0,
    tcpStreamsEvicted: 0,
    tcpGaps: 0,
    messages: 0,
    problems: 0,
  };
}
