/**
 * English explanations: what happened, why, and what it meant for the phones, in three short sentences
 * for people who do not know SIP. One "why" template per primary reason code. In `would` mode (Facts.mode)
 * every sentence about what the guard did says what it would have done instead.
 */
import { statusText, type Facts } from './explain-facts.js';

export function explainEn(f: Facts): string {
  return [lead(f), why(f), selfTest(f), outcome(f)].filter((s) => s.length > 0).join(' ');
}

/** The probe names itself; anyone could copy the name, so the sentence says what that would mean. */
function selfTest(f: Facts): string {
  if (!f.selfTest) return '';
  return 'This was ghostguard\'s own self-test (ghostguard probe, or "Am I protected?" on the dashboard), not an attack; if nobody ran one, a scanner borrowed its name.';
}

function caller(f: Facts): string | null {
  if (f.display.length > 0 && f.user.length > 0 && f.display !== f.user) return `'${f.display}' (${f.user})`;
  const name = f.display.length > 0 ? f.display : f.user;
  return name.length > 0 ? `'${name}'` : null;
}

function origin(f: Facts): string {
  switch (f.origin) {
    case 'stranger':
      return ` sent straight to you from ${f.source}`;
    case 'provider':
      return ` from your provider ${f.provider} (${f.source})`;
    case 'phone-side':
      return ` from ${f.source} on the phone side`;
    default:
      return ` from ${f.source}`;
  }
}

function scanner(f: Facts): string {
  if (f.scanner === null) return '';
  const name = f.selfTest ? `the ${f.scanner}` : `the ${f.scanner} scanner`;
  return f.userAgent.length > 0 ? ` by ${name} (User-Agent ${f.userAgent})` : ` by ${name}`;
}

function what(f: Facts): string {
  const name = caller(f);
  switch (f.kind) {
    case 'call':
      return name === null ? 'a call' : `a call from ${name}`;
    case 'register':
      return f.user.length > 0 ? `an attempt to register as '${f.user}' (REGISTER)` : 'an attempt to register (REGISTER)';
    case 'message':
      return name === null ? 'a text message (MESSAGE)' : `a text message from ${name} (MESSAGE)`;
    case 'unread':
      return 'a message';
    default:
      return `a SIP ${f.method} request`;
  }
}

function lead(f: Facts): string {
  if (f.kind === 'options') {
    const who =
      f.origin === 'provider'
        ? `Your provider ${f.provider} (${f.source})`
        : f.origin === 'phone-side'
          ? `A device at ${f.source} on the phone side`
          : `Someone at ${f.source}`;
    const tool = f.selfTest ? `the ${f.scanner}` : `the ${f.scanner} scanner`;
    const using = f.scanner === null ? '' : `, using ${tool}${f.userAgent.length > 0 ? ` (User-Agent ${f.userAgent})` : ''}`;
    return `${who} checked whether a phone answers here (OPTIONS)${using}.`;
  }
  const done = f.action === 'relay' ? 'Accepted' : f.action === 'reject' ? 'Refused' : 'Blocked';
  const verb = f.mode === 'would' ? `ghostguard would have ${done.toLowerCase()}` : done;
  const answered = f.action === 'reject' && f.status !== null ? ` and answered ${statusText(f.status)}` : '';
  return `${verb} ${what(f)}${origin(f)}${scanner(f)}${answered}.`;
}

function why(f: Facts): string {
  const ru = f.requestUser;
  const would = f.mode === 'would';
  switch (f.primary) {
    case 'banned':
      return would
        ? 'This address would have been banned for earlier attacks, so everything it sent would have been dropped unread.'
        : 'This address is banned for earlier attacks, so everything it sends is dropped unread.';
    case 'malformed':
      return 'It was not a valid SIP message.';
    case 'too-large':
      return `It was far larger than any real SIP message, so it ${would ? 'would have been' : 'was'} discarded unread.`;
    case 'not-from-provider':
      return `It did not come through your provider ${f.provider}, so it could not be ${f.kind === 'call' ? 'a real call' : 'genuine'}.`;
    case 'unknown-alias':
      return would
        ? `It was addressed to '${ru}', which was not the private address of any phone registered at the time (an expired registration, or a guess).`
        : `It was addressed to '${ru}', which is not the private address of any phone registered now (an expired registration, or a guess).`;
    case 'no-alias': {
      if (f.origin === 'provider') {
        return would
          ? `Your provider addressed it to ${ru.length > 0 ? `'${ru}'` : 'this address'} instead of one of the private addresses ghostguard would have registered for your phones. If real calls arrive like this, your provider rewrites the address and ghostguard would need its fallback for it.`
          : `Your provider addressed it to ${ru.length > 0 ? `'${ru}'` : 'this guard'} instead of one of the private addresses ghostguard registered for your phones. If real calls arrive like this, your provider rewrites the address and ghostguard must use its fallback for it.`;
      }
      const given = would ? 'ghostguard would have given' : 'ghostguard gave';
      return ru.length > 0
        ? `It was addressed to '${ru}' instead of one of the private addresses ${given} your provider for your phones: scanners guess numbers like that.`
        : `It did not name any of the private addresses ${given} your provider for your phones.`;
    }
    case 'unknown-dialog':
      return `It claimed to belong to a call in progress, but there ${would ? 'was' : 'is'} no such call.`;
    case 'flood':
      return f.origin === 'provider'
        ? `It was one of too many requests from your provider in a short time (a flood); ${would ? 'ghostguard would only have slowed your provider down, never banned it' : 'your provider is only slowed down, never banned'}.`
        : 'It was one of too many requests from this address in a short time (a flood).';
    case 'lan-not-allowed':
      return 'It came in on the phone side from an address that is not in the list of allowed phones (lan.allow).';
    case 'open-relay':
      return f.leg === 'lan'
        ? "It asked to be sent somewhere other than your provider; ghostguard sends your phones' requests only to your provider, so nobody can use it for toll fraud."
        : 'It asked ghostguard to pass it on to another destination; ghostguard never relays requests from the internet onwards, so nobody can place calls at your expense through it.';
    case 'loop':
      return 'It had already passed through ghostguard and came back unchanged (a loop).';
    case 'too-many-hops':
      return 'It had already been forwarded too many times (Max-Forwards reached 0).';
    case 'scanner-fingerprint':
      return f.selfTest ? '' : 'It matches the pattern of a known SIP scanner.';
    case 'provider-rewrites-uri':
      return `Your provider ${f.provider} addresses calls to the phone number instead of your phone's private address, so ghostguard ${would ? 'would have checked' : 'checked'} that it came from the provider on the guard's port and matched exactly one registered account.`;
    default:
      if (would) return f.action === 'relay' ? "It would have passed ghostguard's checks." : "It would not have passed ghostguard's checks.";
      return f.action === 'relay' ? "It passed ghostguard's checks." : "It did not pass ghostguard's checks.";
  }
}

function outcome(f: Facts): string {
  if (f.mode === 'would') return outcomeWould(f);
  if (f.action === 'relay') return f.kind === 'call' ? 'The call was passed on to your phone.' : 'It was passed on to your phone.';
  if (f.leg === 'lan') return f.kind === 'call' ? 'The call was not placed.' : 'It was not sent on.';
  if (f.kind === 'options') {
    return f.action === 'reject' && f.status !== null
      ? `ghostguard answered ${statusText(f.status)}; nothing reached your phones.`
      : 'ghostguard did not answer, so nothing was revealed.';
  }
  return f.kind === 'call' ? 'Your phone did not ring.' : 'Nothing reached your phones.';
}

/** What it would have meant for the phones, had ghostguard stood in front of them. */
function outcomeWould(f: Facts): string {
  if (f.action === 'relay') return f.kind === 'call' ? 'ghostguard would have passed the call on to your phone.' : 'ghostguard would have passed it on to your phone.';
  if (f.leg === 'lan') return f.kind === 'call' ? 'The call would not have been placed.' : 'It would not have been sent on.';
  if (f.kind === 'options') {
    return f.action === 'reject' && f.status !== null
      ? `ghostguard would have answered ${statusText(f.status)}; nothing would have reached your phones.`
      : 'ghostguard would not have answered, so nothing would have been revealed.';
  }
  return f.kind === 'call' ? 'Your phone would not have rung.' : 'Nothing would have reached your phones.';
}
