/** The alert `ghostguard alerts test` sends: says the channel works and what it will carry. */
import type { Alert } from './alert.js';

export function testAlert(at: number, host: string): Alert {
  return {
    kind: 'test',
    at,
    title: { en: 'Test alert: this channel works', ja: 'テスト通知：この通知先は正常に届いています' },
    text: {
      en:
        `This is a test from ghostguard on ${host}. If you can read it, alerts reach you here: ` +
        'when the registration with your provider is lost or restored, when scanners are banned, and the daily digest.',
      ja:
        `${host} の ghostguard からのテストです。これが読めていれば、ここに通知が届きます：` +
        'プロバイダーへの登録が切れたとき・回復したとき、スキャナーを遮断したとき、そして毎日のまとめです。',
    },
    details: { host },
  };
}
