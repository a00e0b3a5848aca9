/**
 * Email channel: the alert as a plain-text UTF-8 mail (Subject "ghostguard: <title>", RFC 2047 when
 * Japanese) to every configured recipient, over SMTP. Recipients the server refuses are named in the
 * delivery note; the alert counts as delivered when at least one was accepted (a retry would send
 * the others a duplicate).
 */
import { textIn, titleIn, type Alert, type AlertLang } from './alert.js';
import type { AlertChannel } from './alert-channel.js';
import { buildMessage } from './smtp/mail-message.js';
import { sendMail, type SmtpOptions } from './smtp/smtp-client.js';

export interface EmailOptions {
  readonly smtp: SmtpOptions;
  readonly from: string;
  readonly to: readonly string[];
  readonly lang: AlertLang;
}

const FOOTER = {
  en: 'Sent by ghostguard, the SIP guard that ends ghost calls.',
  ja: 'ghostguard（ゴースト着信を止める SIP ガード）からの通知です。',
};

export function emailBody(alert: Alert, lang: AlertLang): string {
  const footer = lang === 'both' ? `${FOOTER.ja}\n${FOOTER.en}` : FOOTER[lang];
  return `${textIn(alert, lang)}\n\n-- \n${footer}\n`;
}

export class EmailChannel implements AlertChannel {
  readonly name: string;
  readonly #options: EmailOptions;

  constructor(options: EmailOptions) {
    this.#options = options;
    this.name = `email to ${options.to.join(', ')} via ${options.smtp.host}:${options.smtp.port}`;
  }

  async deliver(alert: Alert, signal?: AbortSignal): Promise<string> {
    const { from, to, lang, smtp } = this.#options;
    const message = buildMessage({ from, to, subject: `ghostguard: ${titleIn(alert, lang)}`, body: emailBody(alert, lang), date: alert.at });
    const result = await sendMail(smtp, { from, to }, message, signal);
    const refused = result.refused.map((r) => `; refused ${r.address}: ${r.reply}`).join('');
    return `accepted for ${result.accepted.join(', ')}: ${result.reply}${refused}`;
  }
}
