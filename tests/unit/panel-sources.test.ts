import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createEffectiveSettingsSource, toPanelSettings } from '@/lib/panel/panel-settings';
import { createStorageSnapshotSource } from '@/lib/panel/snapshot-source';
import { EMPTY_SNAPSHOT, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';
import { mergeSettings } from '@/lib/settings/effective-settings';
import { DEFAULT_SETTINGS, type Settings } from '@/lib/settings/settings-schema';
import { settingsItem } from '@/lib/settings/settings-store';

const alice: Settings['accounts'][number] = {
  id: 'a1',
  enabled: true,
  wsServer: 'wss://pbx.test/ws',
  sipUri: 'alice@pbx.test',
  authUser: '',
  password: 'secret',
  displayName: 'Alice',
  iceServers: [],
  recording: 'off',
  recordingNotice: false,
  dtmfMethod: 'rfc4733',
};

beforeEach(() => {
  fakeBrowser.reset();
});

describe('createStorageSnapshotSource', () => {
  it('reads the mirrored snapshot and reports each new one', async () => {
    const source = createStorageSnapshotSource();
    expect(await source.getValue()).toEqual(EMPTY_SNAPSHOT);

    const seen: unknown[] = [];
    const stop = source.watch((value) => seen.push(value));
    const next: PhoneSnapshot = { ...EMPTY_SNAPSHOT, engineId: 'e1', seq: 3 };
    await phoneSnapshotItem.setValue(next);
    stop();
    await phoneSnapshotItem.setValue({ ...next, seq: 4 });

    expect(seen).toEqual([next]);
    expect(await source.getValue()).toEqual({ ...next, seq: 4 });
  });
});

describe('panel settings', () => {
  it('keeps what the panel needs and drops the password', () => {
    const panel = toPanelSettings(mergeSettings({ ...DEFAULT_SETTINGS, accounts: [alice] }, { dispositions: ['Sale'] }));
    expect(panel).toEqual({
      defaultCountry: 'RU',
      dialFormat: 'e164',
      dispositions: ['Sale'],
      accounts: [{ id: 'a1', enabled: true, aor: 'alice@pbx.test', displayName: 'Alice' }],
    });
    expect(JSON.stringify(panel)).not.toContain('secret');
  });

  it('loads the effective settings from storage', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, defaultCountry: 'GB', accounts: [alice] });
    const panel = await createEffectiveSettingsSource().load();
    expect(panel.defaultCountry).toBe('GB');
    expect(panel.accounts.map((a) => a.id)).toEqual(['a1']);
  });
});
