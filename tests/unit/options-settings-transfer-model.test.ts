import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { formatSettingsFile } from '@/lib/options/settings-file';
import { createSettingsTransferModel, type SettingsTransferModel } from '@/lib/options/settings-transfer-model';
import { DEFAULT_SETTINGS, type Account, type Settings } from '@/lib/settings/settings-schema';
import { loadLocalSettings, saveLocalSettings } from '@/lib/settings/settings-store';
import { setLogLevel } from '@/lib/util/logger';

const ALICE: Account = {
  id: 'alice',
  enabled: true,
  wsServer: 'wss://pbx.example.org/ws',
  sipUri: '101@pbx.example.org',
  authUser: '',
  password: 'alice-secret',
  displayName: 'Alice',
  iceServers: [],
  recording: 'off',
  recordingNotice: false,
  dtmfMethod: 'rfc4733',
};
const SAVED: Settings = { ...DEFAULT_SETTINGS, accounts: [ALICE] };

let downloads: { fileName: string; text: string }[];
let imported: Settings[];
let model: SettingsTransferModel;

const picked = (text: string, name = 'softphone-settings.json') => ({ name, text: async () => text });

beforeEach(async () => {
  fakeBrowser.reset();
  setLogLevel('error');
  downloads = [];
  imported = [];
  model = createSettingsTransferModel({
    download: (fileName, text) => downloads.push({ fileName, text }),
    onImported: (settings) => imported.push(settings),
  });
  await saveLocalSettings(SAVED);
});

describe('SettingsTransferModel', () => {
  it('exports the saved settings without passwords unless asked', async () => {
    await model.exportSettings();
    model.setIncludePasswords(true);
    await model.exportSettings();

    expect(downloads.map((download) => download.fileName)).toEqual([
      'softphone-settings.json',
      'softphone-settings.json',
    ]);
    const [without, withPasswords] = downloads.map((download) => JSON.parse(download.text));
    expect(without.format).toBe('crm-softphone-settings');
    expect(without.version).toBe(1);
    expect(without.settings.accounts[0].password).toBe('');
    expect(withPasswords.settings.accounts[0].password).toBe('alice-secret');
  });

  it('imports a file only after confirmation, keeping the saved password', async () => {
    const other: Settings = { ...SAVED, defaultCountry: 'US', declineCode: 603 };
    await model.readFile(picked(formatSettingsFile(other)));

    const state = model.importState.value;
    expect(state.state).toBe('confirming');
    expect(await loadLocalSettings()).toEqual(SAVED);

    await model.confirmImport();
    expect(model.importState.value).toEqual({ state: 'done', fileName: 'softphone-settings.json' });
    expect(await loadLocalSettings()).toEqual(other);
    expect(imported).toEqual([other]);
  });

  it('saves nothing when the import is cancelled', async () => {
    await model.readFile(picked(formatSettingsFile({ ...SAVED, defaultCountry: 'US' })));
    model.cancelImport();
    await model.confirmImport();
    expect(model.importState.value).toEqual({ state: 'idle' });
    expect(await loadLocalSettings()).toEqual(SAVED);
    expect(imported).toEqual([]);
  });

  it('lists what is wrong with an invalid file and saves nothing', async () => {
    const text = formatSettingsFile({ ...SAVED, accounts: [{ ...ALICE, id: 'stranger', wsServer: 'http://x' }] });
    await model.readFile(picked(text, 'bad.json'));
    expect(model.importState.value).toEqual({
      state: 'invalid',
      fileName: 'bad.json',
      problems: [
        { key: 'settings.error.wsServer', path: ['accounts', 0, 'wsServer'] },
        { key: 'import.error.passwordMissing', path: ['accounts', 0, 'password'] },
      ],
    });
    await model.confirmImport();
    expect(await loadLocalSettings()).toEqual(SAVED);
  });

  it('reports a file that cannot be read', async () => {
    await model.readFile({ name: 'gone.json', text: () => Promise.reject(new Error('NotReadableError')) });
    expect(model.importState.value).toEqual({ state: 'failed', fileName: 'gone.json', message: 'NotReadableError' });
  });
});
