import { describe, expect, it } from 'vitest';
import { parseUri } from '../sip/uri.js';
import type { SipUri } from '../sip/types.js';
import { GuardAddresses } from './guard-addresses.js';

const sipUri = (text: string) => parseUri(text) as SipUri;

function addresses(configured: { host: string; port: number | null } | null = null) {
  return new GuardAddresses({
    lan: { address: '10.77.0.1', port: 5060 },
    wan: { address: '0.0.0.0', port: 41234 },
    wanTlsPort: 41235,
    configuredPublic: configured,
    initialPublic: { host: '192.0.2.30', port: 41234 },
  });
}

describe('GuardAddresses', () => {
  it('recognises its own URIs by host and port (§16.4), a missing port meaning 5060', () => {
    const a = addresses();
    expect(a.isOurs(sipUri('sip:10.77.0.1;lr'))).toBe(true);
    expect(a.isOurs(sipUri('sip:192.0.2.30:41234;lr'))).toBe(true);
    expect(a.isOurs(sipUri('sip:192.0.2.30:41235;transport=tls;lr'))).toBe(true);
    expect(a.isOurs(sipUri('sip:192.0.2.30;lr'))).toBe(false);
    expect(a.isOurHost(sipUri('sip:100@192.0.2.30'))).toBe(true);
    expect(a.isOurHost(sipUri('sip:100@198.51.100.1'))).toBe(false);
  });

  it('learns the public address from received/rport (RFC 3581) and still knows the old one', () => {
    const a = addresses();
    expect(a.learnPublic('192.0.2.30', 41234)).toBe('unchanged');
    expect(a.learnPublic('198.51.100.200', 30000)).toBe('changed');
    expect(a.wanSentBy('udp')).toEqual({ host: '198.51.100.200', port: 30000 });
    expect(a.wanSentBy('tcp')).toEqual({ host: '198.51.100.200', port: 41234 });
    expect(a.wanSentBy('tls')).toEqual({ host: '198.51.100.200', port: 41235 });
    expect(a.isOurs(sipUri('sip:192.0.2.30:41234;lr'))).toBe(true);
  });

  it('never learns over a configured wan.public', () => {
    const a = addresses({ host: '198.51.100.7', port: null });
    expect(a.learnPublic('198.51.100.200', 30000)).toBe('configured');
    expect(a.public).toEqual({ host: '198.51.100.7', port: 41234 });
  });
});
