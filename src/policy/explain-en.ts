/**
 * English explanations: what happened, why, and what it meant for the phones, in three short sentences
 * for people who do not know SIP. One "why" template per primary reason code.
 */
import { statusText, type Facts } from './explain-facts.js';

export function explainEn(f: Facts): string {
  return [lead(f), why(f), outcome(f)].filter((s) => s.length > 0).join(' ');
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
  return f.userAgent.length > 0 ? ` by the ${f.scanner} scanner (User-Agent ${f.userAgent})` : ` by the ${f.scanner} scanner`;
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
    const using = f.scanner === null ? '' : `, using the ${f.scanner} scanner${f.userAgent.length > 0 ? ` (User-Agent ${f.userAgent})` : ''}`;
    return `${who} checked whether a phone answers here (OPTIONS)${using}.`;
  }
  const verb = f.action === 'relay' ? 'Accepted' : f.action === 'reject' ? 'Refused' : 'Blocked';
  const answered = f.action === 'reject' && f.status !== null ? ` and answered ${statusText(f.status)}` : '';
  return `${verb} ${what(f)}${origin(f)}${scanner(f)}${answered}.`;
}

function why(f: Facts): string {
  const ru = f.requestUser;
  switch (f.primary) {
    case 'banned':
      return 'This address is banned for earlier attacks, so everything it sends is dropped unread.';
    case 'malformed':
      return 'It was not a valid SIP message.';
    case 'too-large':
      return 'It was far larger than any real SIP message, so it was discarded unread.';
    case 'not-from-provider':
      return `It did not come through your provider ${f.provider}, so it could not be ${f.kind === 'call' ? 'a real call' : 'genuine'}.`;
    case 'unknown-alias':
      return `It was addressed to '${ru}', which is not the private address of any phone registered now (an expired registration, or a guess).`;
    case 'no-alias':
      if (f.origin === 'provider') {
        return `Your provider addressed it to ${ru.length > 0 ? `'${ru}'` : 'this guard'} instead of one of the private addresses ghostguard registered for your phones. If real calls arrive like this, your provider rewrites the address and ghostguard must use its fallback for it.`;
      }
      return ru.length > 0
        ? `It was addressed to '${ru}' instead of one of the private addresses ghostguard gave your provider for your phones: scanners guess numbers like that.`
        : 'It did not name any of the private addresses ghostguard gave your provider for your phones.';
    case 'unknown-dialog':
      return 'It claimed to belong to a call in progress, but there is no such call.';
    case 'flood':
      return f.origin === 'provider'
        ? 'It was one of too many requests from your provider in a short time (a flood); your provider is only slowed down, never banned.'
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
      return 'It matches the pattern of a known SIP scanner.';
    case 'provider-rewrites-uri':
      return `Your provider ${f.provider} addresses calls to the phone number instead of your phone's private address, so ghostguard checked that it came from the provider on the guard's port and matched exactly one registered account.`;
    default:
      return f.action === 'relay' ? "It passed ghostguard's checks." : "It did not pass ghostguard's checks.";
  }
}

function outcome(f: Facts): string {
  if (f.action === 'relay') return f.kind === 'call' ? 'The call was passed on to your phone.' : 'It was passed on to your phone.';
  if (f.leg === 'lan') return f.kind === 'call' ? 'The call was not placed.' : 'It was not sent on.';
  if (f.kind === 'options') {
    return f.action === 'reject' && f.status !== null
      ? `ghostguard answered ${statusText(f.status)}; nothing reached your phones.`
      : 'ghostguard did not answer, so nothing was revealed.';
  }
  return f.kind === 'call' ? 'Your phone did not ring.' : 'Nothing reached your phones.';
}
