/**
 * The alerts for the provider registration (from the Guard's `onProviderHealth`): lost — the provider
 * can no longer reach the phone, so real calls may be missed (urgent by default) — and restored.
 */
import type { ProviderHealthChange } from '../proxy/provider-health-types.js';
import type { Alert } from './alert.js';

export function providerAlert(change: ProviderHealthChange): Alert {
  const details = { aor: change.aor, detail: change.detail };
  if (change.kind === 'lost') {
    return {
      kind: 'registration-lost',
      at: change.at,
      title: {
        en: 'Registration with your provider lost: you may be missing real calls',
        ja: 'プロバイダーへの登録が切れました：本物の着信を受けられない可能性があります',
      },
      text: {
        en:
          `The registration of ${change.aor} with your provider is no longer in force (${change.detail}). ` +
          'Until it is restored your provider cannot reach your phone, so you may be missing real calls. ' +
          "ghostguard keeps relaying the phone's registration attempts; check that the phone is on and that this machine can reach the internet.",
        ja:
          `${change.aor} のプロバイダーへの登録が無効になりました（${change.detail}）。` +
          '回復するまでプロバイダーから電話機に着信を届けられないため、本物の着信を逃している可能性があります。' +
          'ghostguard は電話機の登録を中継し続けます。電話機の電源と、この機械のインターネット接続を確認してください。',
      },
      details,
    };
  }
  return {
    kind: 'registration-restored',
    at: change.at,
    title: { en: 'Registration with your provider restored', ja: 'プロバイダーへの登録が回復しました' },
    text: {
      en: `${change.aor} is registered with your provider again (${change.detail}). Calls can reach your phone.`,
      ja: `${change.aor} は再びプロバイダーに登録されました（${change.detail}）。着信は電話機に届きます。`,
    },
    details,
  };
}
