import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDevice, type DeviceKind, type FakeDevice } from './test-kit.js';
import { probe } from './probe.js';
import type { PortReport } from './probe-report.js';

const devices: FakeDevice[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

async function device(kind: DeviceKind, address: string, transport: 'udp' | 'tcp'): Promise<FakeDevice> {
  const d = await startFakeDevice(kind, address, transport);
  devices.push(d);
  return d;
}

/** Polls (bounded: 1 s) until the device got a `method` request: the probe has returned, a last datagram may still be in flight. */
async function arrived(d: FakeDevice, method: string): Promise<void> {
  for (let i = 0; i < 100 && !d.received.some((r) => r.method === method); i++) await new Promise((r) => setTimeout(r, 10));
}

async function probeOne(address: string, port: number, transport: 'udp' | 'tcp', timeoutMs = 1000): Promise<PortReport> {
  const report = await probe({ host: address, ports: [port], transport }, { timeoutMs, paceMs: 0 });
  expect(report.results).toHaveLength(1);
  return report.results[0]!;
}

describe.each(['udp', 'tcp'] as const)('probe over %s against fake devices on 127.0.0.x', (transport) => {
  it('a ringing phone: RANG; the probe CANCELs the INVITE (same branch, RFC 3261 §9.1) and ACKs the 487', async () => {
    const phone = await device('ringing-phone', '127.0.0.21', transport);
    const r = await probeOne('127.0.0.21', phone.port, transport);
    expect(r.verdict).toBe('RANG');
    expect(r.invite.provisional).toBe(180);
    expect(r.invite.status).toBe(487);
    expect(r.options.status).toBe(200);
    expect(r.detail).toContain('180 Ringing from FakePhone/1.0');
    expect(r.cleanup).toEqual([
      { method: 'CANCEL', answered: true },
      { method: 'ACK', answered: null },
    ]);
    await arrived(phone, 'ACK');
    const invite = phone.received.find((m) => m.method === 'INVITE')!;
    expect(invite.userAgent).toBe('ghostguard-probe');
    expect(invite.requestUri).toBe(`sip:100@127.0.0.21:${phone.port}`);
    const cancel = phone.received.find((m) => m.method === 'CANCEL')!;
    expect(cancel.branch).toBe(invite.branch);
    expect(cancel.callId).toBe(invite.callId);
    expect(cancel.cseq).toBe('1 CANCEL');
    // §17.1.1.3: the ACK of a non-2xx final has the INVITE's branch and the To tag of the response.
    const ack = phone.received.find((m) => m.method === 'ACK')!;
    expect(ack.branch).toBe(invite.branch);
    expect(ack.to).toContain(';tag=dev');
    expect(ack.cseq).toBe('1 ACK');
  });

  it('an answering phone: RANG; the probe ACKs the 200 (new branch, to the Contact, along the Record-Route) and BYEs it', async () => {
    const phone = await device('answering-phone', '127.0.0.22', transport);
    const r = await probeOne('127.0.0.22', phone.port, transport);
    expect(r.verdict).toBe('RANG');
    expect(r.invite.status).toBe(200);
    expect(r.detail).toContain('was answered');
    expect(r.cleanup).toEqual([
      { method: 'ACK', answered: null },
      { method: 'BYE', answered: true },
    ]);
    await arrived(phone, 'BYE');
    const invite = phone.received.find((m) => m.method === 'INVITE')!;
    const ack = phone.received.find((m) => m.method === 'ACK')!;
    const bye = phone.received.find((m) => m.method === 'BYE')!;
    expect(ack.branch).not.toBe(invite.branch); // §13.2.2.4: the ACK of a 2xx is its own transaction
    expect(ack.requestUri).toBe(`sip:fake@127.0.0.22:${phone.port}`);
    expect(ack.routes).toEqual([`<sip:rr@127.0.0.22:${phone.port};lr>`]);
    expect(bye.requestUri).toBe(ack.requestUri);
    expect(bye.cseq).toBe('2 BYE');
    expect(bye.to).toContain(';tag=dev');
    expect(phone.received.some((m) => m.method === 'CANCEL')).toBe(false);
  });

  it('a 200 right behind the 180 (it wins the race with our CANCEL): the probe still ACKs and BYEs the call', async () => {
    const phone = await device('ring-then-answer', '127.0.0.26', transport);
    const r = await probeOne('127.0.0.26', phone.port, transport);
    expect(r.verdict).toBe('RANG');
    expect(r.invite).toMatchObject({ status: 200, provisional: 180 });
    expect(r.cleanup?.map((c) => c.method)).toEqual(['CANCEL', 'ACK', 'BYE']);
    expect(r.cleanup?.find((c) => c.method === 'BYE')?.answered).toBe(true);
    await arrived(phone, 'BYE');
    expect(phone.received.filter((m) => m.method === 'BYE')).toHaveLength(1);
    expect(phone.received.some((m) => m.method === 'ACK' && m.requestUri === `sip:fake@127.0.0.26:${phone.port}`)).toBe(true);
  });

  it('a PBX answering 404: ANSWERED (a device is revealed); the probe ACKs the 404, and nothing is CANCELled', async () => {
    const pbx = await device('pbx-404', '127.0.0.23', transport);
    const r = await probeOne('127.0.0.23', pbx.port, transport);
    expect(r.verdict).toBe('ANSWERED');
    expect(r.invite).toMatchObject({ status: 404, reason: 'Not Found', agent: 'Asterisk PBX 18' });
    expect(r.options.status).toBe(200);
    expect(r.detail).toBe('it answered 404 Not Found from Asterisk PBX 18 to the INVITE and 200 OK from Asterisk PBX 18 to the OPTIONS: a scanner learns a SIP device is here');
    await arrived(pbx, 'ACK');
    const invite = pbx.received.find((m) => m.method === 'INVITE')!;
    const acks = pbx.received.filter((m) => m.method === 'ACK');
    expect(acks.length).toBeGreaterThanOrEqual(1);
    expect(acks.every((a) => a.branch === invite.branch)).toBe(true);
    expect(pbx.received.some((m) => m.method === 'CANCEL' || m.method === 'BYE')).toBe(false);
  });

  it('a device that hears everything and answers nothing: SILENT, after the timeout and not much later', async () => {
    const mute = await device('silent', '127.0.0.24', transport);
    const t0 = Date.now();
    const r = await probeOne('127.0.0.24', mute.port, transport, 600);
    const took = Date.now() - t0;
    expect(r.verdict).toBe('SILENT');
    expect(r.invite.status).toBeNull();
    expect(r.options.status).toBeNull();
    expect(took).toBeGreaterThanOrEqual(590);
    expect(took).toBeLessThan(2500); // 600 ms plus scheduling slack on a busy machine
    await arrived(mute, 'OPTIONS');
    expect(mute.received.map((m) => m.method).sort()).toEqual(transport === 'udp' ? expect.arrayContaining(['INVITE', 'OPTIONS']) : ['INVITE', 'OPTIONS']);
    if (transport === 'udp') {
      // §17.1.1.2 timer A: retransmitted at 500 ms within the 600 ms timeout, and not more.
      const invites = mute.received.filter((m) => m.method === 'INVITE');
      expect(invites.length).toBe(2);
    }
  });

  it('a closed port: SILENT (over TCP quickly, the connection is refused)', async () => {
    const d = await device('silent', '127.0.0.25', transport);
    const port = d.port;
    await Promise.all(devices.splice(0).map((x) => x.close()));
    const t0 = Date.now();
    const r = await probeOne('127.0.0.25', port, transport, transport === 'tcp' ? 3000 : 500);
    expect(r.verdict).toBe('SILENT');
    if (transport === 'tcp') {
      expect(r.detail).toBe('the connection was refused: no SIP over TCP here');
      expect(Date.now() - t0).toBeLessThan(2000); // well before the 3000 ms timeout
    } else {
      expect(r.detail).toBe('nothing answered within 500 ms');
    }
  });
});

describe('probe over several ports', () => {
  it('reports each port in order, calls onPort per port, and paces between them', async () => {
    const phone = await device('ringing-phone', '127.0.0.31', 'udp');
    const pbx = await device('pbx-404', '127.0.0.31', 'udp');
    const mute = await device('silent', '127.0.0.31', 'udp');
    const seen: number[] = [];
    const t0 = Date.now();
    const report = await probe(
      { host: '127.0.0.31', ports: [phone.port, pbx.port, mute.port], transport: 'udp' },
      { timeoutMs: 400, paceMs: 150, onPort: (p) => seen.push(p.port) },
    );
    expect(report.address).toBe('127.0.0.31');
    expect(report.results.map((r) => r.verdict)).toEqual(['RANG', 'ANSWERED', 'SILENT']);
    expect(seen).toEqual([phone.port, pbx.port, mute.port]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300 + 400); // two pauses, the silent port's timeout
    expect(report.durationMs).toBeGreaterThanOrEqual(700);
  });

  it('waits for ports side by side (6 ports at a 50 ms pace take about one timeout, not six) and still reports in port order', async () => {
    const mute = await device('silent', '127.0.0.33', 'udp');
    const pbx = await device('pbx-404', '127.0.0.33', 'udp');
    const others = await Promise.all([0, 1, 2, 3].map(() => device('silent', '127.0.0.33', 'udp')));
    const ports = [mute.port, pbx.port, ...others.map((d) => d.port)];
    const seen: number[] = [];
    const t0 = Date.now();
    const report = await probe({ host: '127.0.0.33', ports, transport: 'udp' }, { timeoutMs: 500, paceMs: 50, onPort: (p) => seen.push(p.port) });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(5 * 50 + 500);
    expect(took).toBeLessThan(2800); // one after the other it would take 6 × 500 + 250 ms
    // The PBX answered long before the silent first port timed out, yet comes second.
    expect(seen).toEqual(ports);
    expect(report.results.map((r) => r.verdict)).toEqual(['SILENT', 'ANSWERED', 'SILENT', 'SILENT', 'SILENT', 'SILENT']);
  });

  it('counts an answer that comes from another port of the target (not every device answers from the port it was sent to)', async () => {
    const listen = createSocket('udp4');
    const answer = createSocket('udp4');
    await new Promise<void>((r) => listen.bind(0, '127.0.0.34', r));
    await new Promise<void>((r) => answer.bind(0, '127.0.0.34', r));
    try {
      listen.on('message', (data, rinfo) => {
        const text = data.toString('latin1');
        if (!text.startsWith('OPTIONS')) return;
        const header = (name: string): string => new RegExp(`^${name}: *(.*)$`, 'im').exec(text)?.[1]?.trim() ?? '';
        const reply = ['SIP/2.0 200 OK', `Via: ${header('Via')}`, `From: ${header('From')}`, `To: ${header('To')};tag=x`, `Call-ID: ${header('Call-ID')}`, `CSeq: ${header('CSeq')}`, 'Server: OtherPort/1', 'Content-Length: 0', '', ''];
        answer.send(Buffer.from(reply.join('\r\n')), rinfo.port, rinfo.address);
      });
      const r = await probeOne('127.0.0.34', listen.address().port, 'udp', 600);
      expect(r.verdict).toBe('ANSWERED');
      expect(r.options).toMatchObject({ status: 200, agent: 'OtherPort/1' });
    } finally {
      listen.close();
      answer.close();
    }
  });

  it('ignores an answer from another address', async () => {
    const listen = createSocket('udp4');
    const stranger = createSocket('udp4');
    await new Promise<void>((r) => listen.bind(0, '127.0.0.35', r));
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.36', r));
    try {
      listen.on('message', (data, rinfo) => {
        const text = data.toString('latin1');
        const header = (name: string): string => new RegExp(`^${name}: *(.*)$`, 'im').exec(text)?.[1]?.trim() ?? '';
        const reply = ['SIP/2.0 180 Ringing', `Via: ${header('Via')}`, `From: ${header('From')}`, `To: ${header('To')};tag=x`, `Call-ID: ${header('Call-ID')}`, `CSeq: ${header('CSeq')}`, 'Content-Length: 0', '', ''];
        stranger.send(Buffer.from(reply.join('\r\n')), rinfo.port, rinfo.address);
      });
      const r = await probeOne('127.0.0.35', listen.address().port, 'udp', 500);
      expect(r.verdict).toBe('SILENT');
    } finally {
      listen.close();
      stranger.close();
    }
  });

  it('a hostile device (garbage and 1,000 copies of a 404) cannot make the probe hang or answer without bound', async () => {
    const listen = createSocket('udp4');
    await new Promise<void>((r) => listen.bind(0, '127.0.0.37', r));
    let acks = 0;
    try {
      listen.on('message', (data, rinfo) => {
        const text = data.toString('latin1');
        if (text.startsWith('ACK')) acks++;
        if (!text.startsWith('INVITE')) return;
        const header = (name: string): string => new RegExp(`^${name}: *(.*)$`, 'im').exec(text)?.[1]?.trim() ?? '';
        const reply = Buffer.from(['SIP/2.0 404 Not Found', `Via: ${header('Via')}`, `From: ${header('From')}`, `To: ${header('To')};tag=x`, `Call-ID: ${header('Call-ID')}`, `CSeq: ${header('CSeq')}`, 'Content-Length: 0', '', ''].join('\r\n'));
        for (let i = 0; i < 1000; i++) {
          listen.send(i % 2 === 0 ? reply : Buffer.from(`\u0000garbage ${i}`), rinfo.port, rinfo.address);
        }
      });
      const t0 = Date.now();
      const r = await probeOne('127.0.0.37', listen.address().port, 'udp', 500);
      expect(r.verdict).toBe('ANSWERED');
      expect(r.invite.status).toBe(404);
      expect(Date.now() - t0).toBeLessThan(2500);
      await new Promise((res) => setTimeout(res, 100));
      expect(acks).toBeGreaterThan(0);
      expect(acks).toBeLessThanOrEqual(200); // at most one ACK per received message, and at most 200 messages are read
    } finally {
      listen.close();
    }
  });

  it('IPv6: probes a ringing phone on [::1]', async () => {
    const phone = await device('ringing-phone', '::1', 'udp');
    const r = await probeOne('::1', phone.port, 'udp');
    expect(r.verdict).toBe('RANG');
    await arrived(phone, 'ACK');
    expect(phone.received.find((m) => m.method === 'INVITE')?.requestUri).toBe(`sip:100@[::1]:${phone.port}`);
  });

  it('resolves a host name (localhost)', async () => {
    const pbx = await device('pbx-404', '127.0.0.1', 'udp');
    const report = await probe({ host: 'localhost', ports: [pbx.port], transport: 'udp' }, { timeoutMs: 800, localAddress: '127.0.0.1' });
    expect(report.host).toBe('localhost');
    expect(['127.0.0.1', '::1']).toContain(report.address);
  });

  it('stopping (AbortSignal) probes no further port, and still cancels a ringing INVITE', async () => {
    const phone = await device('ringing-phone', '127.0.0.32', 'udp');
    const controller = new AbortController();
    const report = await probe(
      { host: '127.0.0.32', ports: [phone.port, phone.port + 1, phone.port + 2], transport: 'udp' },
      { timeoutMs: 500, paceMs: 5000, signal: controller.signal, onPort: () => controller.abort() },
    );
    expect(report.results).toHaveLength(1);
    expect(report.results[0]?.cleanup?.[0]).toEqual({ method: 'CANCEL', answered: true });
  });

  it('refuses bad targets and options with coded errors', async () => {
    await expect(probe({ host: '127.0.0.1', ports: [], transport: 'udp' })).rejects.toMatchObject({ code: 'GG_ERR_PROBE_TARGET' });
    await expect(probe({ host: '127.0.0.1', ports: Array.from({ length: 1001 }, (_, i) => i + 1), transport: 'udp' })).rejects.toThrow(/at most 1000 ports/);
    await expect(probe({ host: '127.0.0.1', ports: [70000], transport: 'udp' })).rejects.toThrow(/1 to 65535/);
    await expect(probe({ host: '127.0.0.1', ports: [5060], transport: 'udp' }, { timeoutMs: -1 })).rejects.toThrow(/timeout/);
    await expect(probe({ host: 'no-such-host.invalid', ports: [5060], transport: 'udp' })).rejects.toMatchObject({ code: 'GG_ERR_PROBE_RESOLVE' });
  });
});
