/**
 * Inputs built to make a parser do more than linear work: long runs of one delimiter where a header
 * value is expected (unbalanced quotes and angle brackets, empty list elements, bare `;`, lone `%`),
 * one header folded thousands of times (RFC 3261 §7.3.1 LWS), thousands of tiny headers.
 *
 * `shapedMessage(shape, size)` puts the run inside an otherwise valid INVITE of about `size` bytes, in
 * the header the shape attacks, so that the accessors that parse that header see it too.
 */
import type { ParseOptions } from '../../src/sip/parse.js';

export const SHAPES = [
  'semicolons',
  'quotes',
  'open-quote',
  'escaped-quotes',
  'angles',
  'commas',
  'percents',
  'colons',
  'via-params',
  'folds',
  'headers',
] as const;
export type Shape = (typeof SHAPES)[number];

/** Limits lifted far above the input sizes, so that the parser really walks the bytes. */
export const UNBOUNDED: ParseOptions = { maxSize: 4 * 1024 * 1024, maxHeaders: 1_000_000 };

const CRLF = '\r\n';

interface Envelope {
  requestUri: string;
  via: string;
  from: string;
  to: string;
  contact: string;
  extra: string;
}

const BASE: Envelope = {
  requestUri: 'sip:bob@example.test',
  via: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-path;rport',
  from: '"Alice" <sip:alice@example.test>;tag=p1',
  to: '<sip:bob@example.test>',
  contact: '<sip:alice@192.0.2.1:5060>',
  extra: '',
};

function render(e: Envelope): string {
  return (
    `INVITE ${e.requestUri} SIP/2.0${CRLF}` +
    `Via: ${e.via}${CRLF}` +
    `Max-Forwards: 70${CRLF}` +
    `From: ${e.from}${CRLF}` +
    `To: ${e.to}${CRLF}` +
    `Call-ID: path@192.0.2.1${CRLF}` +
    `CSeq: 1 INVITE${CRLF}` +
    `Contact: ${e.contact}${CRLF}` +
    e.extra +
    `Content-Length: 0${CRLF}${CRLF}`
  );
}

/** An INVITE of `size` bytes (give or take a few) whose `shape` header is mostly one repeated pattern. */
export function shapedMessage(shape: Shape, size: number): Buffer {
  const room = Math.max(0, size - render(BASE).length);
  const run = (unit: string) => unit.repeat(Math.max(1, Math.floor(room / unit.length)));
  let e: Envelope;
  switch (shape) {
    case 'semicolons':
      e = { ...BASE, from: `<sip:alice@example.test>${run(';')}` };
      break;
    case 'quotes':
      e = { ...BASE, from: `${run('"')} <sip:alice@example.test>` };
      break;
    case 'open-quote':
      e = { ...BASE, from: `"${run('a ')}<sip:alice@example.test>` };
      break;
    case 'escaped-quotes':
      e = { ...BASE, from: `"${run('\\"')} <sip:alice@example.test>` };
      break;
    case 'angles':
      e = { ...BASE, to: `${run('<')}sip:bob@example.test` };
      break;
    case 'commas':
      e = { ...BASE, contact: run(',') };
      break;
    case 'percents': {
      // Half in the Request-URI, half in the To URI: both go through the URI parser's %-escapes.
      const half = '%'.repeat(Math.max(1, Math.floor(room / 2)));
      e = { ...BASE, requestUri: `sip:${half}@example.test`, to: `<sip:${half}@example.test>` };
      break;
    }
    case 'colons':
      e = { ...BASE, via: `SIP/2.0/UDP [${run(':')}]:5060;branch=z9hG4bK-path` };
      break;
    case 'via-params':
      e = { ...BASE, via: `SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-path${run(';a=1')}` };
      break;
    case 'folds':
      e = { ...BASE, extra: `Subject: x${run(`${CRLF} x`)}${CRLF}` };
      break;
    case 'headers':
      e = { ...BASE, extra: run(`X: y${CRLF}`) };
      break;
  }
  return Buffer.from(render(e), 'latin1');
}

export interface PathologicalInput {
  readonly name: string;
  readonly bytes: Buffer;
  readonly options?: ParseOptions;
}

/** The hang guard's inputs: each must be answered (value or SipError) quickly, whatever the answer. */
export function pathologicalInputs(): PathologicalInput[] {
  const KB64 = 64 * 1024;
  const inputs: PathologicalInput[] = [];
  for (const ch of [';', '"', '<', ',', '%', ':', '\\', '\r', '\n', ' ', '\0']) {
    const label = JSON.stringify(ch);
    const bytes = Buffer.alloc(KB64, ch, 'latin1');
    inputs.push({ name: `64 KiB of ${label}, default limits`, bytes });
    inputs.push({ name: `64 KiB of ${label}, limits lifted`, bytes, options: UNBOUNDED });
  }
  for (const shape of SHAPES) {
    inputs.push({ name: `INVITE with a ~64 KiB ${shape} run, default limits`, bytes: shapedMessage(shape, 65_000) });
    inputs.push({ name: `INVITE with a ~256 KiB ${shape} run, limits lifted`, bytes: shapedMessage(shape, 256 * 1024), options: UNBOUNDED });
  }
  const folded = Buffer.from(render({ ...BASE, extra: `Subject: x${`${CRLF} x`.repeat(10_000)}${CRLF}` }), 'latin1');
  inputs.push({ name: 'one header folded 10,000 times, default limits', bytes: folded });
  inputs.push({ name: 'one header folded 10,000 times, limits lifted', bytes: folded, options: UNBOUNDED });
  const tiny = Buffer.from(render({ ...BASE, extra: `X: y${CRLF}`.repeat(10_000) }), 'latin1');
  inputs.push({ name: '10,000 tiny headers, default limits', bytes: tiny });
  inputs.push({ name: '10,000 tiny headers, limits lifted', bytes: tiny, options: UNBOUNDED });
  const manyVias = Buffer.from(render({ ...BASE, extra: `Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-v${CRLF}`.repeat(5_000) }), 'latin1');
  inputs.push({ name: '5,000 Via header lines, limits lifted', bytes: manyVias, options: UNBOUNDED });
  const manyContacts = Buffer.from(render({ ...BASE, contact: Array(5_000).fill('<sip:a@192.0.2.9>;q=0.5').join(',') }), 'latin1');
  inputs.push({ name: 'one Contact with 5,000 values, limits lifted', bytes: manyContacts, options: UNBOUNDED });
  return inputs;
}
