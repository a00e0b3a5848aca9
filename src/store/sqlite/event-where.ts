/** The SQL `WHERE` of an {@link EventFilter}: clauses with `?` placeholders and their values. */
import type { EventFilter } from '../event-store.js';

export interface WhereClause {
  readonly clauses: string[];
  readonly params: Array<string | number>;
  sql(): string;
}

/** Columns searched by `text`. */
const TEXT_COLUMNS = ['method', 'request_uri', 'from_header', 'to_header', 'user_agent', 'call_id', 'remote_address', 'family', 'explanation_en', 'explanation_ja'];

/** `%`, `_` and the escape character itself are literal in the searched text. */
function likePattern(text: string): string {
  let out = '%';
  for (const c of text) out += c === '%' || c === '_' || c === '\\' ? `\\${c}` : c;
  return `${out}%`;
}

export function eventWhere(filter: EventFilter): WhereClause {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  if (filter.since !== undefined) {
    clauses.push('last_time >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('time < ?');
    params.push(filter.until);
  }
  if (filter.reason !== undefined) {
    clauses.push('instr(reasons, ?) > 0');
    params.push(` ${filter.reason} `);
  }
  if (filter.source !== undefined) {
    clauses.push('remote_address = ?');
    params.push(filter.source);
  }
  if (filter.family !== undefined) {
    clauses.push('family = ?');
    params.push(filter.family);
  }
  if (filter.leg !== undefined) {
    clauses.push('leg = ?');
    params.push(filter.leg);
  }
  if (filter.text !== undefined && filter.text.length > 0) {
    const haystack = TEXT_COLUMNS.map((c) => `coalesce(${c}, '')`).join(" || char(10) || ");
    clauses.push(`(${haystack}) LIKE ? ESCAPE '\\'`);
    params.push(likePattern(filter.text));
  }
  return {
    clauses,
    params,
    sql() {
      return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    },
  };
}
