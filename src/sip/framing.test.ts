import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSipError } from './errors.js';
import { frameStream, newFrameProgress, type StreamFrame } from './framing.js';

const MAX = 65_535;

function msg(headers: string[], body = '', eol = '\r\n'): string {
  return ['OPTIONS sip:bob@example.test SIP/2.0', ...headers, ''].join(eol) + eol + body;
}

function frame(text: string, start = 0, max = MAX): StreamFrame {
  return frameStream(Buffer.from(text, 'latin1'), start, max);
}

function codeOf(f: StreamFrame): string {
  return isSipError(f) ? f.code : f.kind;
}

/** Frames every message and keep-alive of a complete stream, the way a connection does. */
function frameAll(buf: Buffer, max = MAX): Array<{ kind: string; text: string }> {
  const out: Array<{ kind: string; text: string }> = [];
  let start = 0;
  while (start < buf.length) {
    const f = frameStream(buf, start, max);
    if (isSipError(f)) {
      out.push({ kind: f.code, text: '' });
      break;
    }
    if (f.kind === 'incomplete') break;
    out.push({ kind: f.kind, text: buf.subarray(start, f.end).toString('latin1') });
    start = f.end;
  }
  return out;
}

describe('frameStream: Content-Length framing (RFC 3261 §18.3)', () => {
  it('ends a message without body right after the empty line', () => {
    const m = msg(['Call-ID: a', 'Content-Length: 0']);
    expect(frame(m)).toEqual({ kind: 'message', end: m.length });
  });

  it('uses Content-Length to find the end of the body, even when the body holds an empty line', () => {
    const body = 'v=0\r\n\r\nstill body';
    const m = msg([`Content-Length: ${body.length}`], body);
    expect(frame(m + 'INVITE next')).toEqual({ kind: 'message', end: m.length });
  });

  it('frames several messages packed into one buffer, starting at a given offset', () => {
    const a = msg(['Content-Length: 3'], 'abc');
    const b = msg(['l: 2'], 'xy');
    const buf = Buffer.from(a + b, 'latin1');
    expect(frameStream(buf, 0, MAX)).toEqual({ kind: 'message', end: a.length });
    expect(frameStream(buf, a.length, MAX)).toEqual({ kind: 'message', end: a.length + b.length });
  });

  it('accepts the compact form `l` (RFC 3261 §7.3.3), any case, and LWS around the colon', () => {
    for (const h of ['l: 4', 'L:4', 'l :4', 'CONTENT-LENGTH: 4', 'content-length\t:  4  ', 'Content-Length : 4']) {
      const m = msg(['Via: SIP/2.0/TCP h', h], 'body');
      expect(frame(m), h).toEqual({ kind: 'message', end: m.length });
    }
  });

  it('reads a Content-Length value folded onto a continuation line (RFC 3261 §7.3.1)', () => {
    const m = msg(['Content-Length:\r\n   4', 'To: <sip:a@b>'], 'body');
    expect(frame(m)).toEqual({ kind: 'message', end: m.length });
  });

  it('RFC 3261 §18.3: Content-Length is required on a stream (missing → SIP_BAD_CONTENT_LENGTH)', () => {
    const f = frame(msg(['Call-ID: x', 'X-Content-Length: 5', 'Content-Lengthy: 5', 'lx: 5']));
    expect(codeOf(f)).toBe('SIP_BAD_CONTENT_LENGTH');
  });

  it('refuses a Content-Length that is not one run of digits', () => {
    for (const v of ['', 'abc', '-5', '5 5', '4,4', '0x10', '1\r2']) {
      expect(codeOf(frame(msg([`Content-Length: ${v}`]))), JSON.stringify(v)).toBe('SIP_BAD_CONTENT_LENGTH');
    }
  });

  it('refuses Content-Length repeated with different values, accepts equal repeats', () => {
    expect(codeOf(frame(msg(['Content-Length: 0', 'l: 1'], 'x')))).toBe('SIP_BAD_CONTENT_LENGTH');
    const same = msg(['Content-Length: 1', 'l: 01'], 'x');
    expect(frame(same)).toEqual({ kind: 'message', end: same.length });
  });

  it('does not read a Content-Length from the start line or from a continuation line of another header', () => {
    const m = 'OPTIONS sip:x SIP/2.0\r\nSubject: a\r\n Content-Length: 3\r\nl: 0\r\n\r\n';
    expect(frame(m)).toEqual({ kind: 'message', end: m.length });
  });

  it('tolerates bare LF line ends (RFC 5118 messages are written with LF)', () => {
    const m = msg(['Content-Length: 2'], 'hi', '\n');
    expect(frame(m + 'REGISTER')).toEqual({ kind: 'message', end: m.length });
    const mixed = 'OPTIONS sip:x SIP/2.0\nl: 0\n\r\n';
    expect(frame(mixed)).toEqual({ kind: 'message', end: mixed.length });
  });

  it('is incomplete until the headers end and until the declared body has arrived', () => {
    const m = msg(['Content-Length: 5'], 'hello');
    expect(codeOf(frame(m.slice(0, 20)))).toBe('incomplete');
    expect(codeOf(frame(m.slice(0, m.length - 5)))).toBe('incomplete');
    expect(codeOf(frame(m.slice(0, m.length - 1)))).toBe('incomplete');
    expect(frame(m)).toEqual({ kind: 'message', end: m.length });
  });
});

describe('frameStream: keep-alives (RFC 5626 §3.5.1, RFC 3261 §7.5)', () => {
  it('recognises a CRLFCRLF ping as one 4-byte keep-alive', () => {
    expect(frame('\r\n\r\n')).toEqual({ kind: 'keepalive', end: 4 });
    expect(frame('\r\n\r\nINVITE')).toEqual({ kind: 'keepalive', end: 4 });
  });

  it('recognises a lone CRLF (a pong, or CRLF before a start line) as a 2-byte keep-alive', () => {
    expect(frame('\r\n')).toEqual({ kind: 'keepalive', end: 2 });
    expect(frame('\r\nOPTIONS')).toEqual({ kind: 'keepalive', end: 2 });
    expect(frame('\r\n\rX')).toEqual({ kind: 'keepalive', end: 2 });
  });

  it('waits for more bytes when a CR might still become a keep-alive', () => {
    expect(codeOf(frame('\r'))).toBe('incomplete');
    expect(codeOf(frame('\r\n\r'))).toBe('incomplete');
  });

  it('MUST ignore CRLF appearing before the start-line: message framing resumes after it', () => {
    const m = msg(['l: 0']);
    const all = frameAll(Buffer.from('\r\n\r\n\r\n' + m + '\r\n\r\n', 'latin1'));
    expect(all.map((f) => f.kind)).toEqual(['keepalive', 'keepalive', 'message', 'keepalive']);
    expect(all[2]!.text).toBe(m);
  });
});

describe('frameStream: size cap', () => {
  it('refuses headers that do not end within maxSize bytes, before they end', () => {
    const f = frame('OPTIONS sip:x SIP/2.0\r\nX-Pad: ' + 'a'.repeat(200), 0, 100);
    expect(codeOf(f)).toBe('SIP_TOO_LARGE');
  });

  it('refuses a declared body that would exceed maxSize as soon as the headers are complete', () => {
    const head = msg(['Content-Length: 1000']);
    const f = frame(head, 0, 500);
    expect(codeOf(f)).toBe('SIP_TOO_LARGE');
    expect(isSipError(f) && f.offset).toBe(head.length);
  });

  it('accepts a message of exactly maxSize bytes', () => {
    const m = msg(['Content-Length: 10'], '0123456789');
    expect(frame(m, 0, m.length)).toEqual({ kind: 'message', end: m.length });
    expect(codeOf(frame(m, 0, m.length - 1))).toBe('SIP_TOO_LARGE');
  });

  it('saturates a huge Content-Length instead of overflowing', () => {
    expect(codeOf(frame(msg(['Content-Length: 99999999999999999999999999999'])))).toBe('SIP_TOO_LARGE');
  });
});

describe('frameStream: incremental input', () => {
  const stream = msg(['Via: SIP/2.0/TCP a;branch=z9hG4bK1', 'Content-Length: 7'], 'v=0\r\n\r\n') + '\r\n\r\n' + msg(['l:0']);

  it('gives the same frames when the stream arrives byte by byte, with a progress memo', () => {
    const whole = Buffer.from(stream, 'latin1');
    const expected = frameAll(whole);
    const got: Array<{ kind: string; text: string }> = [];
    let start = 0;
    let progress = newFrameProgress();
    for (let n = 1; n <= whole.length; n++) {
      const buf = whole.subarray(0, n);
      for (;;) {
        const f = frameStream(buf, start, MAX, progress);
        if (isSipError(f)) throw new Error(f.message);
        if (f.kind === 'incomplete') break;
        got.push({ kind: f.kind, text: buf.subarray(start, f.end).toString('latin1') });
        start = f.end;
        progress = newFrameProgress();
      }
    }
    // A lone CRLF at the end of what has arrived is reported at once (it may be a pong), so the ping
    // splits into two 2-byte keep-alives here; the connection pairs them.
    expect(got.map((f) => f.text).join('')).toBe(stream);
    expect(got.filter((f) => f.kind === 'message')).toEqual(expected.filter((f) => f.kind === 'message'));
  });

  it('property: any split of a packed stream yields the same messages, and nothing throws', () => {
    const messages = [
      msg(['Content-Length: 3'], 'abc'),
      msg(['l: 0']),
      msg(['Content-Length:\r\n 5'], '\r\n\r\nx'),
      '\r\n\r\n',
      msg(['CONTENT-LENGTH : 1'], 'z', '\n'),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: messages.length - 1 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        (picks, cuts) => {
          const whole = Buffer.from(picks.map((p) => messages[p]).join(''), 'latin1');
          const expected = frameAll(whole).filter((f) => f.kind === 'message');
          const got: string[] = [];
          let have = 0;
          let start = 0;
          let progress = newFrameProgress();
          let c = 0;
          while (have < whole.length) {
            have = Math.min(whole.length, have + cuts[c++ % cuts.length]!);
            const buf = whole.subarray(0, have);
            for (;;) {
              const f = frameStream(buf, start, MAX, progress);
              if (isSipError(f) || f.kind === 'incomplete') break;
              if (f.kind === 'message') got.push(buf.subarray(start, f.end).toString('latin1'));
              start = f.end;
              progress = newFrameProgress();
            }
          }
          expect(got).toEqual(expected.map((f) => f.text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: arbitrary bytes never throw and every answer is in range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 400 }), (bytes, max) => {
        const buf = Buffer.from(bytes);
        const f = frameStream(buf, 0, max);
        if (!isSipError(f) && f.kind !== 'incomplete') {
          expect(f.end).toBeGreaterThan(0);
          expect(f.end).toBeLessThanOrEqual(buf.length);
          if (f.kind === 'message') expect(f.end).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('scans a maximum-size header section delivered in 1-byte steps in linear time', () => {
    const big = Buffer.from('OPTIONS sip:x SIP/2.0\r\nX: ' + 'a\r\n b'.repeat(10_000), 'latin1');
    const progress = newFrameProgress();
    const t0 = performance.now();
    for (let n = 1; n <= big.length; n++) frameStream(big.subarray(0, n), 0, MAX, progress);
    // Quadratic rescanning would touch ~1.25e9 bytes here; linear work stays far below a second.
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
