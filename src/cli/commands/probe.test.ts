import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDevice, type FakeDevice } from '../../probe/test-kit.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

const devices: FakeDevice[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('ghostguard probe', () => {
  it('a ringing phone: a RANG line per port, a plain verdict; --expect silent exits 1, without it 0', async () => {
    const phone = await startFakeDevice('ringing-phone', '127.0.0.41', 'udp');
    devices.push(phone);
    const plain = await run(['probe', `127.0.0.41:${phone.port}`, '--timeout', '800']);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain(`Probing 127.0.0.41 over UDP, port ${phone.port}, as a scanner would:`);
    expect(plain.out).toMatch(new RegExp(`${phone.port}/udp +RANG +a scanner's INVITE made it ring \\(180 Ringing from FakePhone/1.0\\)`));
    expect(plain.out).toContain(`RANG on port ${phone.port}: a scanner's ghost call would ring here.`);
    const strict = await run(['probe', `127.0.0.41:${phone.port}`, '--timeout', '800', '--expect', 'silent']);
    expect(strict.code).toBe(1);
    expect(phone.received.filter((m) => m.method === 'CANCEL')).toHaveLength(2);
  });

  it('a silent range over TCP: "nothing answered", --expect silent exits 0', async () => {
    const mute = await startFakeDevice('silent', '127.0.0.42', 'tcp');
    devices.push(mute);
    const { code, out } = await run(['probe', `127.0.0.42:${mute.port}-${mute.port + 1}`, '--tcp', '--timeout', '300', '--expect', 'silent']);
    expect(code).toBe(0);
    expect(out).toContain('over TCP, 2 ports');
    expect(out.match(/SILENT/g)).toHaveLength(2);
    expect(out).toContain('nothing answered: a scanner learns nothing here.');
  });

  it('--json prints the report with its verdict sentence', async () => {
    const pbx = await startFakeDevice('pbx-404', '127.0.0.43', 'udp');
    devices.push(pbx);
    const { code, out } = await run(['probe', `127.0.0.43:${pbx.port}`, '--json', '--timeout', '800', '--from', '127.0.0.43']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ host: '127.0.0.43', address: '127.0.0.43', results: [{ port: pbx.port, transport: 'udp', verdict: 'ANSWERED', invite: { status: 404 } }] });
    expect(report.verdict).toBe(`no ring, but port ${pbx.port} answered: a scanner learns that a SIP device is here.`);
  });

  it.each([
    [[], /give one target/],
    [['192.0.2.1:1-5000'], /at most 1000 ports per probe/],
    [['192.0.2.1', '--timeout', 'soon'], /--timeout must be/],
    [['192.0.2.1', '--expect', 'loud'], /--expect takes only "silent"/],
    [['[::1'], /closing "\]"/],
    [['192.0.2.1', '--bogus'], /Unknown option/],
  ])('refuses %j with exit 2 and the usage', async (args, why) => {
    const { code, err } = await run(['probe', ...args]);
    expect(code).toBe(2);
    expect(err).toMatch(why);
    expect(err).toContain('Usage: ghostguard probe');
  });

  it('a host name that does not resolve: exit 1 with the reason', async () => {
    const { code, err } = await run(['probe', 'no-such-host.invalid']);
    expect(code).toBe(1);
    expect(err).toContain('cannot resolve no-such-host.invalid');
  });

  it.each([[[]], [['--tcp']]])('--from an address this host does not have (%j): exit 1, said plainly, not "silent"', async (extra) => {
    const { code, out, err } = await run(['probe', '127.0.0.1:5060', '--from', '192.0.2.253', ...extra]);
    expect(code).toBe(1);
    expect(err).toContain('cannot send from 192.0.2.253 to 127.0.0.1: EADDRNOTAVAIL');
    expect(out).not.toContain('SILENT');
  });

  it('is listed in the help as a command', async () => {
    const { out } = await run(['--help']);
    expect(out).toMatch(/\n {2}probe +the self-test/);
    expect(out.split('Coming in later versions:')[1] ?? '').not.toContain('probe');
  });
});
