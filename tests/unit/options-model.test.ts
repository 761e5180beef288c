import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createOptionsModel, type OptionsClient, type OptionsModel } from '@/lib/options/options-model';
import type { ConnectionTestResult } from '@/lib/phone/phone-snapshot';
import { POLICY_ACCOUNT_ID } from '@/lib/settings/effective-settings';
import { DEFAULT_AUDIO_SETTINGS, DEFAULT_SETTINGS, type Account, type AccountInput, type Settings } from '@/lib/settings/settings-schema';
import { loadLocalSettings, saveAudioSettings, saveLocalSettings } from '@/lib/settings/settings-store';
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
const SAVED: Settings = { ...DEFAULT_SETTINGS, accounts: [ALICE], defaultCountry: 'DE' };

/** A background whose connection tests the test settles by hand. */
class FakeBackground implements Pick<OptionsClient, 'testConnection'> {
  readonly tested: AccountInput[] = [];
  private pending: { resolve: (result: ConnectionTestResult) => void; reject: (error: Error) => void }[] = [];

  testConnection = (data: { account: AccountInput }): Promise<ConnectionTestResult> => {
    this.tested.push(data.account);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  answer(result: ConnectionTestResult): void {
    this.pending.shift()!.resolve(result);
  }

  fail(error: Error): void {
    this.pending.shift()!.reject(error);
  }
}

let background: FakeBackground;
let model: OptionsModel;
let ids: number;

function start(options: { language?: string; testTimeoutMs?: number } = {}): Promise<void> {
  model = createOptionsModel({
    client: background,
    newId: () => `new-${++ids}`,
    language: options.language ?? 'en-GB',
    testTimeoutMs: options.testTimeoutMs,
  });
  return model.start();
}

function fillValidAccount(id: string): void {
  model.setAccountField(id, 'wsServer', 'ws://127.0.0.1:8080');
  model.setAccountField(id, 'sipUri', 'sip:bob@127.0.0.1');
  model.setAccountField(id, 'password', 'bob-secret');
}

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
  background = new FakeBackground();
  ids = 0;
});

afterEach(() => {
  model?.dispose();
  vi.useRealTimers();
});

describe('OptionsModel', () => {
  describe('loading', () => {
    it('starts a new install with the browser’s country and nothing unsaved', async () => {
      await start({ language: 'en-GB' });
      expect(model.loading.value).toBe(false);
      expect(model.draft.value).toEqual({
        accounts: [],
        defaultCountry: 'GB',
        dialFormat: 'e164',
        declineCode: 486,
        dispositions: '',
        recordingRetentionDays: '90',
        recordingMaxMb: '1000',
        dndResponse: 486,
        dndRedirectTarget: '',
        autoAnswer: false,
        autoAnswerDelaySeconds: '3',
        intercomAutoAnswer: false,
        audio: DEFAULT_AUDIO_SETTINGS,
        crm: { kind: 'none' },
        afterCall: { callbackTask: true, callbackDueMinutes: '15', answeredNote: true, newNumber: 'lead' },
      });
      expect(model.dirty.value).toBe(false);
    });

    it('shows the saved settings, not the browser’s country', async () => {
      await saveLocalSettings(SAVED);
      await start({ language: 'en-GB' });
      expect(model.draft.value.defaultCountry).toBe('DE');
      expect(model.draft.value.accounts.map((account) => account.sipUri)).toEqual(['101@pbx.example.org']);
    });
  });

  describe('editing and saving', () => {
    it('keeps the audio choices the Audio section saved while the form had unsaved changes', async () => {
      await saveLocalSettings(SAVED);
      await start();
      model.setGlobal('dialFormat', 'national');
      const audio = { ...DEFAULT_AUDIO_SETTINGS, microphone: { deviceId: 'mic-2', label: 'USB Headset' } };
      await saveAudioSettings(audio);
      await model.save();
      expect(await loadLocalSettings()).toMatchObject({ dialFormat: 'national', audio });
      expect(model.dirty.value).toBe(false);
    });

    it('adds an account, shows its errors once the user tries to save, then saves it', async () => {
      await start();
      model.addAccount();
      expect(model.lastAddedId.value).toBe('new-1');
      expect(model.dirty.value).toBe(true);
      expect(model.validation.value.errors.size).toBe(3);
      expect(model.visibleErrors.value.size).toBe(0);

      model.setAccountField('new-1', 'wsServer', 'http://wrong');
      expect(model.visibleErrors.value.size).toBe(0);

      await model.save();
      expect(model.visibleErrors.value.get('new-1.wsServer')?.key).toBe('settings.error.wsServer');
      expect(model.saveStatus.value).toEqual({ state: 'invalid', count: 3 });
      expect([...model.visibleErrors.value.keys()]).toEqual(['new-1.wsServer', 'new-1.sipUri', 'new-1.password']);
      expect(await loadLocalSettings()).toEqual(DEFAULT_SETTINGS);

      fillValidAccount('new-1');
      model.setAccountField('new-1', 'iceServers', 'stun:stun.example.org');
      expect(model.saveStatus.value.state).toBe('idle');
      await model.save();

      expect(model.saveStatus.value).toEqual({ state: 'saved' });
      expect(model.dirty.value).toBe(false);
      expect(model.visibleErrors.value.size).toBe(0);
      const stored = await loadLocalSettings();
      expect(stored.defaultCountry).toBe('GB');
      expect(stored.accounts).toEqual([
        {
          id: 'new-1',
          enabled: true,
          wsServer: 'ws://127.0.0.1:8080',
          sipUri: 'bob@127.0.0.1',
          authUser: '',
          password: 'bob-secret',
          displayName: '',
          iceServers: [{ urls: 'stun:stun.example.org' }],
          recording: 'off',
          recordingNotice: false,
          dtmfMethod: 'rfc4733',
        },
      ]);
      // The form now shows the values as stored.
      expect(model.draft.value.accounts[0]!.sipUri).toBe('bob@127.0.0.1');
    });

    it('removes an account only after confirmation, and for good on save', async () => {
      await saveLocalSettings(SAVED);
      await start();
      model.requestRemoval('alice');
      expect(model.pendingRemoval.value).toBe('alice');
      model.cancelRemoval();
      expect(model.pendingRemoval.value).toBeUndefined();
      expect(model.draft.value.accounts).toHaveLength(1);

      model.requestRemoval('alice');
      model.confirmRemoval();
      expect(model.draft.value.accounts).toEqual([]);
      expect(model.dirty.value).toBe(true);
      expect((await loadLocalSettings()).accounts).toHaveLength(1);

      await model.save();
      expect((await loadLocalSettings()).accounts).toEqual([]);
    });

    it('disables and enables an account', async () => {
      await saveLocalSettings(SAVED);
      await start();
      model.setAccountEnabled('alice', false);
      await model.save();
      expect((await loadLocalSettings()).accounts[0]!.enabled).toBe(false);
    });

    it('changes the global settings', async () => {
      await start();
      model.setGlobal('defaultCountry', 'KZ');
      model.setGlobal('dialFormat', 'e164-no-plus');
      model.setGlobal('declineCode', 603);
      model.setGlobal('dispositions', 'Sale\n Sent a quote \n');
      model.setGlobal('recordingRetentionDays', ' 0 ');
      model.setGlobal('recordingMaxMb', '250');
      model.setGlobal('dndResponse', 302);
      model.setGlobal('dndRedirectTarget', '*97');
      model.setGlobal('autoAnswer', true);
      model.setGlobal('autoAnswerDelaySeconds', '0');
      model.setGlobal('intercomAutoAnswer', true);
      await model.save();
      expect(await loadLocalSettings()).toEqual({
        accounts: [],
        defaultCountry: 'KZ',
        dialFormat: 'e164-no-plus',
        declineCode: 603,
        dispositions: ['Sale', 'Sent a quote'],
        recordingRetentionDays: 0,
        recordingMaxMb: 250,
        dndResponse: 302,
        dndRedirectTarget: '*97',
        autoAnswer: true,
        autoAnswerDelaySeconds: 0,
        intercomAutoAnswer: true,
        audio: DEFAULT_AUDIO_SETTINGS,
        crm: { kind: 'none' },
        afterCall: DEFAULT_SETTINGS.afterCall,
      });
    });

    it('sets an account’s recording policy and notice', async () => {
      await saveLocalSettings(SAVED);
      await start();
      model.setAccountRecording('alice', 'recording', 'always');
      model.setAccountRecording('alice', 'recordingNotice', true);
      expect(model.dirty.value).toBe(true);
      await model.save();
      const [stored] = (await loadLocalSettings()).accounts;
      expect([stored!.recording, stored!.recordingNotice]).toEqual(['always', true]);
    });

    it.each([['-1'], ['1.5'], [''], ['abc'], ['3651']])('refuses %j days of retention', async (days) => {
      await start();
      model.setGlobal('recordingRetentionDays', days);
      await model.save();
      expect(model.saveStatus.value).toEqual({ state: 'invalid', count: 1 });
      expect(model.visibleErrors.value.get('recordingRetentionDays')).toEqual({ key: 'settings.error.retentionDays' });
    });

    it('keeps unsaved changes when the settings change elsewhere, and follows them otherwise', async () => {
      await saveLocalSettings(SAVED);
      await start();

      await saveLocalSettings({ ...SAVED, declineCode: 603 });
      await vi.waitFor(() => expect(model.draft.value.declineCode).toBe(603));
      expect(model.dirty.value).toBe(false);

      model.setAccountField('alice', 'displayName', 'Alice typing');
      await saveLocalSettings({ ...SAVED, dialFormat: 'national' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(model.draft.value.accounts[0]!.displayName).toBe('Alice typing');
      expect(model.draft.value.dialFormat).toBe('e164');
    });
  });

  describe('administrator policy', () => {
    const POLICY = {
      wsServer: 'wss://pbx.corp.example/ws',
      sipUri: '200@pbx.corp.example',
      password: 'corp-secret',
      dialFormat: 'national',
    };

    it('shows a policy that arrives after the page opened, without saving it as the user’s', async () => {
      await saveLocalSettings(SAVED);
      await start();
      expect(model.policy.value.account).toBeUndefined();
      model.setAccountField('alice', 'displayName', 'Alice 2');

      await fakeBrowser.storage.managed.set({ ...POLICY, allowUserAccounts: false });
      await vi.waitFor(() => expect(model.policy.value.account?.id).toBe(POLICY_ACCOUNT_ID));

      expect([...model.policy.value.locked].sort()).toEqual(['accounts', 'dialFormat']);
      expect(model.policy.value.effective.dialFormat).toBe('national');
      // Unsaved typing survives the policy's arrival.
      expect(model.draft.value.accounts[0]!.displayName).toBe('Alice 2');
      expect(model.draft.value.dialFormat).toBe('e164');

      await model.save();
      const stored = await loadLocalSettings();
      expect(stored.dialFormat).toBe('e164');
      expect(stored.accounts.map((account) => account.id)).toEqual(['alice']);
      expect(stored.accounts[0]!.displayName).toBe('Alice 2');
    });

    it('reports invalid policy values', async () => {
      await fakeBrowser.storage.managed.set({ ...POLICY, wsServer: 'http://pbx.corp.example' });
      await start();
      expect(model.policy.value.errors).toEqual(['wsServer']);
      expect(model.policy.value.account).toBeUndefined();
    });

    it('tests the provisioned account with its own values', async () => {
      await fakeBrowser.storage.managed.set(POLICY);
      await start();
      const testing = model.testConnection(POLICY_ACCOUNT_ID);
      background.answer({ ok: true, elapsedMs: 12 });
      await testing;
      expect(background.tested.map((account) => [account.id, account.password])).toEqual([
        [POLICY_ACCOUNT_ID, 'corp-secret'],
      ]);
      expect(model.tests.value.get(POLICY_ACCOUNT_ID)).toEqual({ state: 'ok', elapsedMs: 12 });
    });
  });

  describe('test connection', () => {
    it('sends the values as typed, unsaved, and shows the elapsed time', async () => {
      await saveLocalSettings(SAVED);
      await start();
      model.setAccountField('alice', 'password', 'typed-not-saved');
      model.setAccountField('alice', 'iceServers', 'turn:turn.example.org user pass');

      const testing = model.testConnection('alice');
      expect(model.tests.value.get('alice')).toEqual({ state: 'running' });
      // A second click while running sends nothing.
      await model.testConnection('alice');
      background.answer({ ok: true, elapsedMs: 480 });
      await testing;

      expect(background.tested).toEqual([
        {
          ...ALICE,
          password: 'typed-not-saved',
          iceServers: [{ urls: 'turn:turn.example.org', username: 'user', credential: 'pass' }],
        },
      ]);
      expect(model.tests.value.get('alice')).toEqual({ state: 'ok', elapsedMs: 480 });
      expect((await loadLocalSettings()).accounts[0]!.password).toBe('alice-secret');
    });

    it('shows the failure reason and detail', async () => {
      await saveLocalSettings(SAVED);
      await start();
      const testing = model.testConnection('alice');
      background.answer({ ok: false, failure: 'auth-rejected', detail: 'SIP 403', elapsedMs: 90 });
      await testing;
      expect(model.tests.value.get('alice')).toEqual({
        state: 'failed',
        failure: 'auth-rejected',
        detail: 'SIP 403',
        elapsedMs: 90,
      });

      // Editing the account makes the result stale.
      model.setAccountField('alice', 'password', 'another');
      expect(model.tests.value.get('alice')).toBeUndefined();
    });

    it('sends nothing for an invalid account and shows its errors', async () => {
      await start();
      model.addAccount();
      await model.testConnection('new-1');
      expect(background.tested).toEqual([]);
      expect(model.tests.value.get('new-1')).toEqual({ state: 'invalid' });
      expect([...model.visibleErrors.value.keys()]).toEqual(['new-1.wsServer', 'new-1.sipUri', 'new-1.password']);
    });

    it('reports a background that cannot be reached', async () => {
      await saveLocalSettings(SAVED);
      await start();
      const testing = model.testConnection('alice');
      background.fail(new Error('Could not establish connection. Receiving end does not exist.'));
      await testing;
      expect(model.tests.value.get('alice')).toEqual({
        state: 'error',
        message: 'Could not establish connection. Receiving end does not exist.',
      });
    });

    it('gives up when the background never answers', async () => {
      await saveLocalSettings(SAVED);
      await start({ testTimeoutMs: 1000 });
      vi.useFakeTimers();
      const testing = model.testConnection('alice');
      await vi.advanceTimersByTimeAsync(1000);
      await testing;
      expect(model.tests.value.get('alice')?.state).toBe('error');
    });
  });

  it('shows imported settings as saved', async () => {
    await start();
    model.addAccount();
    model.showSaved(SAVED);
    expect(model.draft.value.accounts.map((account) => account.id)).toEqual(['alice']);
    expect(model.dirty.value).toBe(false);
  });
});
