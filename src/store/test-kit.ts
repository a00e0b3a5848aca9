/** Test fixtures for the event store and its wrappers: a blocked svmap INVITE as the guard records it. */
import type { GuardEvent } from './guard-event.js';

export function scannerEvent(time: number, source: string, extra: Partial<GuardEvent> = {}): GuardEvent {
  return {
    time,
    flow: { transport: 'udp', localAddress: '192.0.2.30', localPort: 5071, remoteAddress: source, remotePort: 5060 },
    leg: 'wan',
    method: 'INVITE',
    requestUri: 'sip:100@192.0.2.30',
    from: '"sipvicious"<sip:100@1.1.1.1>;tag=6ce1',
    to: '"sipvicious"<sip:100@1.1.1.1>',
    userAgent: 'friendly-scanner',
    callId: `call-${time}-${source}`,
    reasons: ['not-from-provider'],
    family: 'sipvicious',
    explanation: {
      en: `Blocked a call from '100' sent straight to you from ${source}.`,
      ja: `${source} から直接送られた「100」からの着信をブロックしました。`,
    },
    ...extra,
  };
}
