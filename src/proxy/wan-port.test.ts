import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { SETTING_KEYS } from '../store/settings-store.js';
import { ManualClock } from '../util/clock.js';
import { chooseWanPort } from './wan-port.js';
import { RecordingLogger } from './test-kit.js';

function settings() {
  return openStore(':memory:', { clock: new ManualClock() }).settings;
}

describe('chooseWanPort (issue 3: port 0 = a random high port, chosen once and kept)', () => {
  it('chooses a random port at the first start and keeps it', async () => {
    const s = settings();
    const ports = [30001, 30002];
    const port = await chooseWanPort({ configured: 0, settings: s, logger: new RecordingLogger(), bind: async () => true, random: () => ports.shift()! });
    expect(port).toBe(30001);
    expect(s.get(SETTING_KEYS.wanPort)).toBe('30001');
    expect(await chooseWanPort({ configured: 0, settings: s, logger: new RecordingLogger(), bind: async () => true, random: () => 1 })).toBe(30001);
  });

  it('tries another random port when one is taken', async () => {
    const taken = new Set([30001]);
    const ports = [30001, 30002];
    const port = await chooseWanPort({ configured: 0, settings: settings(), logger: new RecordingLogger(), bind: async (p) => !taken.has(p), random: () => ports.shift()! });
    expect(port).toBe(30002);
  });

  it('warns and moves when the kept port is taken', async () => {
    const s = settings();
    s.set(SETTING_KEYS.wanPort, '30001');
    const logger = new RecordingLogger();
    const port = await chooseWanPort({ configured: 0, settings: s, logger, bind: async (p) => p !== 30001, random: () => 30005 });
    expect(port).toBe(30005);
    expect(logger.has('kept WAN port is in use')).toBe(true);
  });

  it('uses a configured port, and fails clearly when it is taken', async () => {
    await expect(chooseWanPort({ configured: 5070, settings: settings(), logger: new RecordingLogger(), bind: async () => true })).resolves.toBe(5070);
    await expect(chooseWanPort({ configured: 5070, settings: settings(), logger: new RecordingLogger(), bind: async () => false })).rejects.toThrow('port 5070 is in use');
  });
});
