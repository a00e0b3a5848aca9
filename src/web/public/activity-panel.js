/**
 * Demo only: the lab's happenings as they come (the stream's `lab` events) — the phone registering,
 * the provider's calls ringing, scanners starting their bursts — in a short, newest-first list.
 */
import { byId, el } from './dom.js';
import { formatTime } from './format.js';

const KEEP = 12;

/** The dictionary key and parameters for a lab event worth showing, or null. */
function words(event) {
  switch (event.kind) {
    case 'phone-registered':
      return [event.refresh ? 'lab.refreshed' : 'lab.registered', { expires: event.expires }];
    case 'phone-registration-failed':
      return ['lab.registrationFailed', { why: event.why }];
    case 'call-placed':
      return ['lab.placed', { caller: event.caller }];
    case 'phone-rang':
      return [event.from === 'provider' ? 'lab.rang' : 'lab.ghostRang', { caller: event.caller }];
    case 'call-answered':
      return ['lab.answered', {}];
    case 'call-cancelled':
      return ['lab.cancelled', {}];
    case 'call-ended':
      return ['lab.ended', { s: Math.round((event.talkMs ?? 0) / 1000) }];
    case 'scanner-burst':
      return [event.messages === 1 ? 'lab.burstOne' : 'lab.burst', { scanner: event.scanner, n: event.messages }];
    case 'scanner-answered':
      return ['lab.scannerAnswered', { scanner: event.scanner, status: event.status }];
    default:
      return null;
  }
}

export function mountActivity(app) {
  const { i18n, stream } = app;
  const section = byId('activity-panel');
  const list = byId('activity-list');
  const items = [];

  const draw = () => {
    list.replaceChildren(
      ...items.map(({ event, key, params }) =>
        el('li', { class: `activity activity-${event.kind}` }, el('time', { datetime: new Date(event.at).toISOString() }, formatTime(event.at, i18n.lang)), el('span', {}, i18n.t(key, params))),
      ),
    );
  };

  stream.on('lab', (event) => {
    if (!event || typeof event.kind !== 'string') return;
    const said = words(event);
    if (said === null) return;
    section.hidden = false;
    items.unshift({ event, key: said[0], params: said[1] });
    if (items.length > KEEP) items.length = KEEP;
    draw();
  });
  i18n.onChange(draw);
}
