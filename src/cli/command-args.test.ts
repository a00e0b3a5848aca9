import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './command-args.js';
import { memoryIo } from './io.js';

const USAGE = 'Usage: ghostguard demo-cmd [--count N] [--json] FILE...';

describe('parseCommandArgs', () => {
  it('returns the parsed values and positionals when the command should go on', () => {
    const io = memoryIo();
    const parsed = parseCommandArgs('demo-cmd', USAGE, ['--count', '3', 'a.sip', '--json', 'b.sip'], io, {
      allowPositionals: true,
      options: { count: { type: 'string', default: '1' }, json: { type: 'boolean' } },
    });
    if (typeof parsed === 'number') throw new Error(`expected parsed arguments, got exit code ${parsed}`);
    expect(parsed.values.count).toBe('3');
    expect(parsed.values.json).toBe(true);
    expect(parsed.positionals).toEqual(['a.sip', 'b.sip']);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([]);
  });

  it('applies option defaults', () => {
    const parsed = parseCommandArgs('demo-cmd', USAGE, [], memoryIo(), { options: { count: { type: 'string', default: '1' } } });
    if (typeof parsed === 'number') throw new Error(`expected parsed arguments, got exit code ${parsed}`);
    expect(parsed.values.count).toBe('1');
  });

  it.each([['--help'], ['-h']])('%s prints the usage on stdout and exits 0', (flag) => {
    const io = memoryIo();
    expect(parseCommandArgs('demo-cmd', USAGE, ['a.sip', flag], io, { allowPositionals: true, options: {} })).toBe(0);
    expect(io.stdout.join('')).toBe(`${USAGE}\n`);
    expect(io.stderr).toEqual([]);
  });

  it('refuses an unknown option with exit 2, the message and the usage on stderr', () => {
    const io = memoryIo();
    expect(parseCommandArgs('demo-cmd', USAGE, ['--nope'], io, { options: { json: { type: 'boolean' } } })).toBe(2);
    expect(io.stdout).toEqual([]);
    const err = io.stderr.join('');
    expect(err).toMatch(/^ghostguard demo-cmd: Unknown option '--nope'.*\n/);
    expect(err.endsWith(`\n${USAGE}\n`)).toBe(true);
  });

  it('refuses an option that lacks its value', () => {
    const io = memoryIo();
    expect(parseCommandArgs('demo-cmd', USAGE, ['--count'], io, { options: { count: { type: 'string' } } })).toBe(2);
    expect(io.stderr.join('')).toMatch(/^ghostguard demo-cmd: Option '--count <value>' argument missing\n/);
    expect(io.stderr.join('').endsWith(`\n${USAGE}\n`)).toBe(true);
  });

  it('refuses positionals unless the command allows them', () => {
    const io = memoryIo();
    expect(parseCommandArgs('demo-cmd', USAGE, ['stray'], io, { options: {} })).toBe(2);
    expect(io.stderr.join('')).toMatch(/^ghostguard demo-cmd: Unexpected argument 'stray'.*\n/);
    expect(io.stderr.join('').endsWith(`\n${USAGE}\n`)).toBe(true);
  });

  it('reports a usage error before --help when the arguments do not parse', () => {
    const io = memoryIo();
    expect(parseCommandArgs('demo-cmd', USAGE, ['--help', '--nope'], io, { options: {} })).toBe(2);
    expect(io.stdout).toEqual([]);
  });

  it('gives the command a usageError that prints its message and usage and returns 2', () => {
    const io = memoryIo();
    const parsed = parseCommandArgs('demo-cmd', USAGE, [], io, { options: {} });
    if (typeof parsed === 'number') throw new Error(`expected parsed arguments, got exit code ${parsed}`);
    expect(parsed.usageError('no file given')).toBe(2);
    expect(io.stderr.join('')).toBe(`ghostguard demo-cmd: no file given\n${USAGE}\n`);
  });
});
