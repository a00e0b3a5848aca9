/**
 * The Logger that `ghostguard run` and `demo` use: one line per entry on stderr, `time level message
 * key=value ...`. Values are JSON-escaped when they hold anything but plain characters, so attacker
 * bytes that reach a field can never forge a log line.
 */
import type { Logger } from '../transport/logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: string): value is LogLevel {
  return value in RANK;
}

export function consoleLogger(write: (line: string) => void, level: LogLevel = 'info', now: () => Date = () => new Date()): Logger {
  const emit = (at: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return;
    let line = `${now().toISOString()} ${at.padEnd(5)} ${plain(msg)}`;
    for (const [key, value] of Object.entries(fields ?? {})) line += ` ${key}=${formatValue(value)}`;
    write(`${line}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

function formatValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  const text = typeof value === 'string' ? value : value instanceof Error ? value.message : safeJson(value);
  return /^[\w.:/@\-+[\]]+$/.test(text) ? text : JSON.stringify(text);
}

function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
