/**
 * 日本語の説明: 何が起きたか、なぜか、電話機にとってどういう結果だったかを、SIP を知らない人にも
 * わかる短い文で伝えます。主な理由コードごとに「なぜ」の文を一つずつ用意しています。
 *
 * Japanese explanations, written as a person would say them (not word-for-word from the English):
 * what happened, why, and what it meant for the phones. One "why" template per primary reason code.
 * In `would` mode (Facts.mode) every sentence about what the guard did says what it would have done
 * (「ghostguard を使っていれば、…はブロックされていたはずです。…電話機は鳴らなかったはずです。」).
 */
import { statusText, type Facts } from './explain-facts.js';

export function explainJa(f: Facts): string {
  return lead(f) + why(f) + selfTest(f) + outcome(f);
}

/** プローブは自分の名前を名乗るだけなので、誰かが名前を真似た場合のことも添えます。 */
function selfTest(f: Facts): string {
  if (!f.selfTest) return '';
  return 'これは ghostguard 自身の自己診断（ghostguard probe、またはダッシュボードの「守られていますか？」）で、攻撃ではありません。実行した覚えがない場合は、スキャナーがその名前を騙っています。';
}

function caller(f: Facts): string | null {
  if (f.display.length > 0 && f.user.length > 0 && f.display !== f.user) return `「${f.display}」（${f.user}）`;
  const name = f.display.length > 0 ? f.display : f.user;
  return name.length > 0 ? `「${name}」` : null;
}

function origin(f: Facts): string {
  switch (f.origin) {
    case 'stranger':
      return `${f.source} から直接送られてきた`;
    case 'provider':
      return `プロバイダー ${f.provider}（${f.source}）から届いた`;
    case 'phone-side':
      return `電話機側の ${f.source} から届いた`;
    default:
      return `${f.source} から届いた`;
  }
}

function scanner(f: Facts): string {
  if (f.scanner === null) return '';
  const name = f.selfTest ? (f.scannerJa ?? f.scanner) : `${f.scannerJa ?? f.scanner} スキャナー`;
  return f.userAgent.length > 0 ? `（${name}、User-Agent: ${f.userAgent}）` : `（${name}）`;
}

function what(f: Facts): string {
  const name = caller(f);
  switch (f.kind) {
    case 'call':
      return name === null ? '着信' : `${name}からの着信`;
    case 'register':
      return f.user.length > 0 ? `「${f.user}」として登録しようとする試み（REGISTER）` : '登録しようとする試み（REGISTER）';
    case 'message':
      return name === null ? 'メッセージ（MESSAGE）' : `${name}からのメッセージ（MESSAGE）`;
    case 'unread':
      return 'メッセージ';
    default:
      return `SIP ${f.method} リクエスト`;
  }
}

function lead(f: Facts): string {
  if (f.kind === 'options') {
    const who =
      f.origin === 'provider'
        ? `プロバイダー ${f.provider}（${f.source}）から`
        : f.origin === 'phone-side'
          ? `電話機側の ${f.source} から`
          : `${f.source} から`;
    return `${who}、ここで電話機が応答するかどうかを確かめる問い合わせ（OPTIONS）がありました${scanner(f)}。`;
  }
  if (f.mode === 'would') return `ghostguard を使っていれば、${spaced(origin(f), what(f))}${wouldVerb(f)}${scanner(f)}。`;
  const verb =
    f.action === 'relay'
      ? 'を受け付けました'
      : f.action === 'reject'
        ? f.status === null
          ? 'を拒否しました'
          : `を拒否し、${statusText(f.status)} を返しました`
        : 'をブロックしました';
  return `${spaced(origin(f), what(f))}${verb}${scanner(f)}。`;
}

function wouldVerb(f: Facts): string {
  if (f.action === 'relay') return 'は受け付けられていたはずです';
  if (f.action === 'reject') return f.status === null ? 'は拒否されていたはずです' : `は拒否され、${statusText(f.status)} が返されていたはずです`;
  return 'はブロックされていたはずです';
}

/** Japanese text and a Latin word are set apart by a space, as in 「プロバイダー voip.example.test を」. */
function spaced(before: string, after: string): string {
  const last = before.charCodeAt(before.length - 1);
  const next = after.charCodeAt(0);
  return last > 0x7f && next < 0x7f && next !== 0x20 ? `${before} ${after}` : before + after;
}

function why(f: Facts): string {
  const ru = f.requestUser;
  const would = f.mode === 'would';
  switch (f.primary) {
    case 'banned':
      return would
        ? 'このアドレスは過去の攻撃により遮断対象となっていたはずで、送られてくるものはすべて中身を見ずに破棄されていたはずです。'
        : 'このアドレスは過去の攻撃により遮断中のため、送られてくるものはすべて中身を見ずに破棄しています。';
    case 'malformed':
      return '正しい SIP メッセージではありませんでした。';
    case 'too-large':
      return `本物の SIP メッセージではありえない大きさだったため、中身を見ずに${would ? '破棄されていたはずです' : '破棄しました'}。`;
    case 'not-from-provider':
      return `契約しているプロバイダー ${f.provider} を経由していないため、本物の${f.kind === 'call' ? '着信' : '通信'}ではありません。`;
    case 'unknown-alias':
      return would
        ? `宛先の「${ru}」は、その時点で登録されていたどの電話機の非公開アドレスでもありませんでした（登録の期限切れか、推測された宛先です）。`
        : `宛先の「${ru}」は、いま登録されているどの電話機の非公開アドレスでもありません（登録の期限切れか、推測された宛先です）。`;
    case 'no-alias': {
      const registered = would ? '登録するはずの' : '登録した';
      if (f.origin === 'provider') {
        return `プロバイダーは、ghostguard が電話機ごとに${registered}非公開アドレスではなく${ru.length > 0 ? `「${ru}」` : would ? 'このアドレス' : 'このガード'}宛てに送ってきました。本物の着信がこの形で届く場合はプロバイダーが宛先を書き換えているため、ghostguard の代替モードが${would ? '必要になります' : '必要です'}。`;
      }
      return ru.length > 0
        ? `宛先が「${ru}」になっていました。本物の着信は、ghostguard が電話機ごとにプロバイダーへ${registered}非公開アドレス宛てに届きます。このような番号はスキャナーが推測して送ってくるものです。`
        : `宛先に、ghostguard が電話機ごとにプロバイダーへ${registered}非公開アドレスが含まれていませんでした。`;
    }
    case 'unknown-dialog':
      return `通話中の通話の一部であるかのように装っていましたが、該当する通話は${would ? 'ありませんでした' : 'ありません'}。`;
    case 'flood':
      return f.origin === 'provider'
        ? `プロバイダーから短時間に大量の要求が届いた（フラッド）うちの一つです。${would ? 'ghostguard はプロバイダーを遮断せず、速度を抑えるだけだったはずです' : 'プロバイダーは遮断せず、速度を抑えるだけです'}。`
        : 'このアドレスから短時間に大量の要求が届いた（フラッド）うちの一つです。';
    case 'lan-not-allowed':
      return '電話機側のネットワークから届きましたが、送信元が許可された電話機のアドレス（lan.allow）に含まれていません。';
    case 'open-relay':
      return f.leg === 'lan'
        ? 'プロバイダー以外の宛先への転送を求めていました。ghostguard は電話機からの要求をプロバイダーにしか送らないため、通話料金の不正利用には使えません。'
        : 'ほかの宛先への転送を求めていました。ghostguard はインターネットから届いた要求を外へ中継しないため、あなたの回線で勝手に発信させることはできません。';
    case 'loop':
      return 'すでに ghostguard を通った要求が、そのまま戻ってきました（ループ）。';
    case 'too-many-hops':
      return 'すでに転送回数の上限に達していました（Max-Forwards が 0）。';
    case 'scanner-fingerprint':
      return f.selfTest ? '' : '既知の SIP スキャナーの特徴と一致しています。';
    case 'provider-rewrites-uri':
      return `プロバイダー ${f.provider} は電話機の非公開アドレスではなく電話番号宛てに着信を送ってくるため、送信元がプロバイダーであること、ガードのポートに届いたこと、登録済みのアカウント 1 つだけに一致することを${would ? '確かめたうえで受け付けていたはずです' : '確かめて受け付けました'}。`;
    default:
      if (would) return f.action === 'relay' ? 'ghostguard のチェックを通過していたはずです。' : 'ghostguard のチェックを通過しなかったはずです。';
      return f.action === 'relay' ? 'ghostguard のチェックを通過しました。' : 'ghostguard のチェックを通過しませんでした。';
  }
}

function outcome(f: Facts): string {
  if (f.mode === 'would') return outcomeWould(f);
  if (f.action === 'relay') return f.kind === 'call' ? '着信は電話機へ転送しました。' : '電話機へ転送しました。';
  if (f.leg === 'lan') return f.kind === 'call' ? '発信は行われていません。' : '転送していません。';
  if (f.kind === 'options') {
    return f.action === 'reject' && f.status !== null
      ? `${statusText(f.status)} を返しました。電話機には何も届いていません。`
      : '応答していないため、相手には何も伝わっていません。';
  }
  return f.kind === 'call' ? '電話機は鳴っていません。' : '電話機には何も届いていません。';
}

/** 電話機にとってどうなっていたはずか（ghostguard が前に立っていた場合）。 */
function outcomeWould(f: Facts): string {
  if (f.action === 'relay') return f.kind === 'call' ? '着信は電話機へ転送されていたはずです。' : '電話機へ転送されていたはずです。';
  if (f.leg === 'lan') return f.kind === 'call' ? '発信は行われなかったはずです。' : '転送されなかったはずです。';
  if (f.kind === 'options') {
    return f.action === 'reject' && f.status !== null
      ? `ghostguard は ${statusText(f.status)} を返し、電話機には何も届かなかったはずです。`
      : 'ghostguard なら応答しないため、相手には何も伝わらなかったはずです。';
  }
  return f.kind === 'call' ? '電話機は鳴らなかったはずです。' : '電話機には何も届かなかったはずです。';
}
