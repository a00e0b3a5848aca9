import { describe, expect, it } from 'vitest';
import { consoleLogger } from './console-logger.js';

describe('consoleLogger', () => {
  const at = () => new Date('2026-11-27T12:00:00.000Z');

  it('writes one line per entry with key=value fields, filtered by level', () => {
    const lines: string[] = [];
    const log = consoleLogger((line) => lines.push(line), 'info', at);
    log.debug('hidden');
    log.info('WAN leg listening', { transport: 'udp', address: '192.0.2.30:40211', count: 3 });
    expect(lines).toEqual(['2026-11-27T12:00:00.000Z info  WAN leg listening transport=udp address=192.0.2.30:40211 count=3\n']);
  });

  it('escapes attacker text so that it cannot forge a log line', () => {
    const lines: string[] = [];
    const log = consoleLogger((line) => lines.push(line), 'debug', at);
    log.warn('dropped\nfake line', { userAgent: 'evil\r\n2026 info  forged' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\n')).toHaveLength(2);
    expect(lines[0]).toContain('userAgent="evil\\r\\n2026 info  forged"');
  });
});
