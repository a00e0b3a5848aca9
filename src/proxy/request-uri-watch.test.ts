import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { SETTING_KEYS } from '../store/settings-store.js';
import { ManualClock } from '../util/clock.js';
import { RequestUriWatch } from './request-uri-watch.js';
import { RecordingLogger } from './test-kit.js';

function watch() {
  const store = openStore(':memory:', { clock: new ManualClock() });
  const logger = new RecordingLogger();
  return { store, logger, watch: new RequestUriWatch(store.settings, logger, 'voip.example.test') };
}

describe('RequestUriWatch: does the provider keep the alias token in the Request-URI?', () => {
  it('switches the fallback on at the first provider call that names the number instead of a token, once', () => {
    const w = watch();
    w.watch.observe('number');
    w.watch.observe('number');
    expect(w.watch.rewrites).toBe(true);
    expect(w.store.settings.get(SETTING_KEYS.providerKeepsRequestUri)).toBe('no');
    expect(w.logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('keeps "yes" once a call carried a token: a later token-less INVITE (spoofed, say) cannot switch the fallback on', () => {
    const w = watch();
    w.watch.observe('token');
    w.watch.observe('number');
    expect(w.watch.rewrites).toBe(false);
    expect(w.store.settings.get(SETTING_KEYS.providerKeepsRequestUri)).toBe('yes');
  });

  it('remembers "no" across restarts', () => {
    const w = watch();
    w.watch.observe('number');
    expect(new RequestUriWatch(w.store.settings, new RecordingLogger(), 'voip.example.test').rewrites).toBe(true);
  });
});
