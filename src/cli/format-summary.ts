/** Human-readable lines for a MessageSummary (shared by the commands that show messages). */
import type { MessageSummary, PartySummary } from '../sip/summarize.js';

export function formatSummary(m: MessageSummary): string[] {
  const lines: string[] = [];
  lines.push(m.kind === 'request' ? `${m.method} ${m.requestUri}` : `${m.status} ${m.reason}`);
  lines.push(`From:           ${party(m.from)}`);
  lines.push(`To:             ${party(m.to)}`);
  lines.push(`Call-ID:        ${m.callId ?? '(missing or invalid)'}`);
  lines.push(`CSeq:           ${m.cseq ? `${m.cseq.seq} ${m.cseq.method}` : '(missing or invalid)'}`);
  if (m.via.length === 0) lines.push('Via:            (none)');
  m.via.forEach((via, i) => {
    const extras = [
      via.branch !== null ? `branch=${via.branch}` : null,
      via.received !== null ? `received=${via.received}` : null,
      via.rport === true ? 'rport' : via.rport !== null ? `rport=${via.rport}` : null,
    ].filter((x) => x !== null);
    const host = via.host.includes(':') ? `[${via.host}]` : via.host;
    lines.push(`Via[${i}]:         ${via.transport} ${host}${via.port !== null ? `:${via.port}` : ''}${extras.length ? ` ${extras.join(' ')}` : ''}`);
  });
  lines.push(`User-Agent:     ${m.userAgent ?? '(none)'}`);
  if (m.contacts === '*') lines.push('Contact:        *');
  else if (m.contacts.length === 0) lines.push('Contact:        (none)');
  else for (const contact of m.contacts) lines.push(`Contact:        ${party(contact)}`);
  lines.push(`Content-Length: ${m.contentLength ?? '(none)'} (body ${m.bodyLength} bytes)`);
  return lines;
}

function party(p: PartySummary | null): string {
  if (!p) return '(missing or invalid)';
  const name = p.displayName !== null ? `${JSON.stringify(p.displayName)} ` : '';
  return `${name}<${p.uri}>${p.tag !== null ? ` tag=${p.tag}` : ''}`;
}
