import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { setLocale } from '@/lib/i18n/i18n';
import { RemoteError } from '@/lib/messaging/protocol';
import type { PanelSettings, PanelSettingsSource } from '@/lib/panel/panel-settings';
import { NO_ACCOUNT_STATE, PhoneModel, type PanelClient } from '@/lib/panel/phone-model';
import type { SnapshotSource } from '@/lib/panel/snapshot-source';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import {
  EMPTY_SNAPSHOT,
  type AccountStatus,
  type CallSnapshot,
  type PhoneSnapshot,
} from '@/lib/phone/phone-snapshot';
import { HoldState } from '@/lib/phone/hold-state';
import { LineRole } from '@/lib/phone/line-coordinator';
import { TransferState } from '@/lib/phone/transfer-state';
import { RegistrationState } from '@/lib/phone/registration-state';
import { setLogLevel } from '@/lib/util/logger';
import { FakeStoredValue } from '../fixtures/fake-stored-value';

const T0 = 1_700_000_000_000;

/** A background that records every command and answers from a script. */
class FakeClient implements PanelClient {
  readonly sent: { method: string; data: unknown }[] = [];
  snapshot: PhoneSnapshot | Error = EMPTY_SNAPSHOT;
  /** When set, every command but getSnapshot rejects with it. */
  failure: Error | undefined;
  nextCallId = 'call-1';
  /** When set, commands wait for it before answering. */
  gate: Promise<void> | undefined;

  private async record(method: string, data: unknown): Promise<void> {
    this.sent.push({ method, data });
    await this.gate;
    if (this.failure) throw this.failure;
  }

  getSnapshot = async (data: Record<string, never>): Promise<PhoneSnapshot> => {
    this.sent.push({ method: 'getSnapshot', data });
    if (this.snapshot instanceof Error) throw this.snapshot;
    return this.snapshot;
  };
  placeCall = async (data: { target: string; accountId?: string }): Promise<{ callId: string }> => {
    await this.record('placeCall', data);
    return { callId: this.nextCallId };
  };
  answerCall = async (data: { callId: string }): Promise<null> => {
    await this.record('answerCall', data);
    return null;
  };
  declineCall = async (data: { callId: string }): Promise<null> => {
    await this.record('declineCall', data);
    return null;
  };
  hangupCall = async (data: { callId: string }): Promise<null> => {
    await this.record('hangupCall', data);
    return null;
  };
  setMute = async (data: { callId: string; muted: boolean }): Promise<null> => {
    await this.record('setMute', data);
    return null;
  };
  setHold = async (data: { callId: string; hold: boolean }): Promise<null> => {
    await this.record('setHold', data);
    return null;
  };
  cancelAutoAnswer = async (data: { callId: string }): Promise<null> => {
    await this.record('cancelAutoAnswer', data);
    return null;
  };
  setDoNotDisturb = async (data: { on: boolean }): Promise<null> => {
    await this.record('setDoNotDisturb', data);
    return null;
  };
  dismissMissedCalls = async (data: { numberKey?: string }): Promise<null> => {
    await this.record('dismissMissedCalls', data);
    return null;
  };
  /** Calls the engine could not hold when answering (`answerAndHold`). */
  notHeld: { callId: string; code?: number }[] = [];
  answerAndHold: PanelClient['answerAndHold'] = async (data) => {
    await this.record('answerAndHold', data);
    return { notHeld: this.notHeld };
  };
  hangupAndAnswer: PanelClient['hangupAndAnswer'] = async (data) => {
    await this.record('hangupAndAnswer', data);
    return { notHeld: [] };
  };
  swapCalls: PanelClient['swapCalls'] = async (data) => {
    await this.record('swapCalls', data);
    return null;
  };
  mergeCalls: PanelClient['mergeCalls'] = async (data) => {
    await this.record('mergeCalls', data);
    return null;
  };
  splitConference: PanelClient['splitConference'] = async (data) => {
    await this.record('splitConference', data);
    return null;
  };
  sendDtmf: PanelClient['sendDtmf'] = async (data) => {
    await this.record('sendDtmf', data);
    return null;
  };
  blindTransfer: PanelClient['blindTransfer'] = async (data) => {
    await this.record('blindTransfer', data);
    return null;
  };
  startConsultTransfer: PanelClient['startConsultTransfer'] = async (data) => {
    await this.record('startConsultTransfer', data);
    return { consultCallId: 'consult-1' };
  };
  completeTransfer: PanelClient['completeTransfer'] = async (data) => {
    await this.record('completeTransfer', data);
    return null;
  };
  cancelTransfer: PanelClient['cancelTransfer'] = async (data) => {
    await this.record('cancelTransfer', data);
    return null;
  };
  retryRegistration = async (data: { accountId?: string }): Promise<null> => {
    await this.record('retryRegistration', data);
    return null;
  };
  getHistoryPage: PanelClient['getHistoryPage'] = async (data) => {
    await this.record('getHistoryPage', data);
    return { rows: [] };
  };
  saveCallNote: PanelClient['saveCallNote'] = async (data) => {
    await this.record('saveCallNote', data);
    return { noteId: 'note-1' };
  };
  searchHistory: PanelClient['searchHistory'] = async (data) => {
    await this.record('searchHistory', data);
    return { rows: [] };
  };
  getNumberTimeline: PanelClient['getNumberTimeline'] = async (data) => {
    await this.record('getNumberTimeline', data);
    return { entries: [] };
  };
  getCrmTimeline: PanelClient['getCrmTimeline'] = async (data) => {
    await this.record('getCrmTimeline', data);
    return { items: [] };
  };
  lookupCaller: PanelClient['lookupCaller'] = async (data) => {
    await this.record('lookupCaller', data);
    return { numberKey: data.number, matches: [] };
  };
  chooseCaller: PanelClient['chooseCaller'] = async (data) => {
    await this.record('chooseCaller', data);
    return null;
  };
  saveContact: PanelClient['saveContact'] = async (data) => {
    await this.record('saveContact', data);
    return { ok: true, id: 'contact-1' };
  };
  createCrmRecord: PanelClient['createCrmRecord'] = async (data) => {
    await this.record('createCrmRecord', data);
    return { ok: false, problem: 'no-crm' };
  };
  deleteContact: PanelClient['deleteContact'] = async (data) => {
    await this.record('deleteContact', data);
    return null;
  };
  openCrmRecord: PanelClient['openCrmRecord'] = async (data) => {
    await this.record('openCrmRecord', data);
    return null;
  };
  setCallDisposition: PanelClient['setCallDisposition'] = async (data) => {
    await this.record('setCallDisposition', data);
    return null;
  };
  getCallWrapUp: PanelClient['getCallWrapUp'] = async (data) => {
    await this.record('getCallWrapUp', data);
    return {};
  };
  sendMessage: PanelClient['sendMessage'] = async (data) => {
    await this.record('sendMessage', data);
    return { id: 'message-1', status: 'sent' };
  };
  startRecording: PanelClient['startRecording'] = async (data) => {
    await this.record('startRecording', data);
    return null;
  };
  stopRecording: PanelClient['stopRecording'] = async (data) => {
    await this.record('stopRecording', data);
    return null;
  };
  getRecordingAudio: PanelClient['getRecordingAudio'] = async (data) => {
    await this.record('getRecordingAudio', data);
    return { mimeType: 'audio/webm;codecs=opus', data: '', durationMs: 0 };
  };
  deleteRecording: PanelClient['deleteRecording'] = async (data) => {
    await this.record('deleteRecording', data);
    return null;
  };
  clearRecordingError: PanelClient['clearRecordingError'] = async (data) => {
    await this.record('clearRecordingError', data);
    return null;
  };
  getAnalytics: PanelClient['getAnalytics'] = async (data) => {
    await this.record('getAnalytics', data);
    throw new Error('the phone model never asks for analytics');
  };
  getCrmOutboxStatus: PanelClient['getCrmOutboxStatus'] = async (data) => {
    await this.record('getCrmOutboxStatus', data);
    return { crm: 'local', pending: 0 };
  };
  retryCrmOutbox: PanelClient['retryCrmOutbox'] = async (data) => {
    await this.record('retryCrmOutbox', data);
    return { crm: 'local', pending: 0 };
  };
  finishWrapUp: PanelClient['finishWrapUp'] = async (data) => {
    await this.record('finishWrapUp', data);
    return null;
  };
  completeCallback: PanelClient['completeCallback'] = async (data) => {
    await this.record('completeCallback', data);
    return null;
  };

  methods(): string[] {
    return this.sent.map((entry) => entry.method).filter((method) => method !== 'getSnapshot');
  }
}

/** The mirrored snapshot in session storage. */
class FakeSnapshotSource extends FakeStoredValue implements SnapshotSource {
  constructor() {
    super(EMPTY_SNAPSHOT);
  }
}

class FakeSettingsSource implements PanelSettingsSource {
  private readonly listeners = new Set<(settings: PanelSettings) => void>();
  constructor(public settings: PanelSettings) {}
  load = async (): Promise<PanelSettings> => this.settings;
  watch(callback: (settings: PanelSettings) => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }
  change(settings: PanelSettings): void {
    this.settings = settings;
    for (const listener of this.listeners) listener(settings);
  }
}

function settings(overrides: Partial<PanelSettings> = {}): PanelSettings {
  return {
    defaultCountry: 'RU',
    dialFormat: 'e164',
    accounts: [{ id: 'a1', enabled: true, aor: 'alice@pbx.test', displayName: 'Alice' }],
    dispositions: [],
    ...overrides,
  };
}

function account(overrides: Partial<AccountStatus> = {}): AccountStatus {
  return { accountId: 'a1', aor: 'alice@pbx.test', state: RegistrationState.Registered, attempts: 0, ...overrides };
}

function call(overrides: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: 'c1',
    accountId: 'a1',
    direction: 'outbound',
    remoteUri: 'sip:+79161234567@pbx.test',
    remoteNumber: '+79161234567',
    state: CallState.Dialing,
    muted: false,
    startedAt: T0,
    ...overrides,
  };
}

function snapshot(overrides: Partial<PhoneSnapshot> = {}): PhoneSnapshot {
  return {
    seq: 1,
    engineId: 'engine-1',
    accounts: [account()],
    calls: [],
    recent: [],
    microphone: 'granted',
    ...overrides,
  };
}

describe('PhoneModel', () => {
  let now: number;
  let client: FakeClient;
  let source: FakeSnapshotSource;
  let settingsSource: FakeSettingsSource;
  let optionsOpened: number;
  let model: PhoneModel;

  beforeEach(() => {
    fakeBrowser.reset();
    setLocale('en');
    setLogLevel('error');
    now = T0;
    client = new FakeClient();
    source = new FakeSnapshotSource();
    settingsSource = new FakeSettingsSource(settings());
    optionsOpened = 0;
    model = new PhoneModel({
      client,
      snapshotSource: source,
      settingsSource,
      openOptionsPage: async () => {
        optionsOpened++;
      },
      clock: () => now,
      endedNoticeMs: 5000,
      tickMs: 60_000,
    });
  });

  afterEach(() => {
    model.dispose();
    setLocale(undefined);
    setLogLevel('info');
  });

  /** Moves the clock and lets the model see it. */
  function advance(ms: number): void {
    now += ms;
    model.tick();
  }

  describe('choosing the snapshot to show', () => {
    it('asks the background for a fresh snapshot on start and shows the newer of it and storage', async () => {
      source.stored = snapshot({ seq: 4 });
      client.snapshot = snapshot({ seq: 7, microphone: 'denied' });
      await model.start();
      expect(client.sent).toEqual([{ method: 'getSnapshot', data: {} }]);
      expect(model.snapshot.value.seq).toBe(7);
      expect(model.microphoneBlocked.value).toBe(true);
    });

    it('keeps the stored snapshot when the background answers with an older one of the same engine', async () => {
      source.stored = snapshot({ seq: 9 });
      client.snapshot = snapshot({ seq: 3 });
      await model.start();
      expect(model.snapshot.value.seq).toBe(9);
    });

    it('switches to a new engine even though its seq starts again from a lower number', async () => {
      source.stored = snapshot({ seq: 50, engineId: 'old' });
      client.snapshot = snapshot({ seq: 1, engineId: 'new' });
      await model.start();
      expect(model.snapshot.value.engineId).toBe('new');
    });

    it('does not let the stored value replace the engine the background reported', async () => {
      client.snapshot = snapshot({ seq: 1, engineId: 'new' });
      source.stored = snapshot({ seq: 50, engineId: 'old' });
      expect(model.receive(await client.getSnapshot({}), true)).toBe(true);
      expect(model.receive(source.stored, false)).toBe(false);
      expect(model.snapshot.value.engineId).toBe('new');
    });

    it('still shows the stored snapshot when the background does not answer', async () => {
      source.stored = snapshot({ seq: 2 });
      client.snapshot = new Error('Could not establish connection. Receiving end does not exist.');
      await model.start();
      expect(model.snapshot.value.seq).toBe(2);
    });

    it('follows storage changes, drops stale and invalid ones, and stops following on dispose', async () => {
      await model.start();
      source.publish(snapshot({ seq: 5 }));
      source.publish(snapshot({ seq: 4, microphone: 'denied' }));
      source.publish({ seq: 'nonsense' });
      expect(model.snapshot.value.seq).toBe(5);
      expect(model.microphoneBlocked.value).toBe(false);

      model.dispose();
      expect(source.watching).toBe(0);
      source.publish(snapshot({ seq: 6 }));
      expect(model.snapshot.value.seq).toBe(5);
    });

    it('never replaces a real snapshot with the empty fallback', async () => {
      await model.start();
      source.publish(snapshot({ seq: 3 }));
      source.publish(EMPTY_SNAPSHOT);
      expect(model.snapshot.value.engineId).toBe('engine-1');
    });
  });

  describe('registration status', () => {
    it('summarises the first account: state and words', async () => {
      client.snapshot = snapshot({
        accounts: [account(), account({ accountId: 'a2', aor: 'bob@pbx.test', state: RegistrationState.Failed })],
      });
      await model.start();
      expect(model.status.value).toEqual({ state: 'registered', text: 'Ready' });
      expect(model.accounts.value.map((a) => [a.accountId, a.state, a.canRetry])).toEqual([
        ['a1', 'registered', false],
        ['a2', 'failed', true],
      ]);
    });

    it('explains a failure and counts down to the next attempt while waiting', async () => {
      client.snapshot = snapshot({
        accounts: [
          account({
            state: RegistrationState.Waiting,
            failure: 'unreachable',
            detail: 'WebSocket closed (1006)',
            retryAt: T0 + 12_000,
            attempts: 3,
          }),
        ],
      });
      await model.start();
      const [status] = model.accounts.value;
      expect(status?.failureText).toMatch(/^Cannot reach the SIP server/);
      expect(status?.detail).toBe('WebSocket closed (1006)');
      expect(status?.retryInSeconds).toBe(12);
      expect(status?.stateText).toBe('Reconnecting in 12 s');

      advance(2_500);
      expect(model.accounts.value[0]?.stateText).toBe('Reconnecting in 10 s');
      advance(60_000);
      expect(model.accounts.value[0]?.retryInSeconds).toBe(0);
    });

    it('does not show a stale failure once the account is registered again', async () => {
      client.snapshot = snapshot({ accounts: [account({ failure: 'timeout', detail: '408' })] });
      await model.start();
      expect(model.accounts.value[0]?.failureText).toBeUndefined();
      expect(model.accounts.value[0]?.detail).toBeUndefined();
    });

    it('lists a configured account the engine has not reported yet as not connected', async () => {
      await model.start();
      expect(model.accounts.value).toMatchObject([{ accountId: 'a1', aor: 'alice@pbx.test', state: 'idle' }]);
      expect(model.noAccount.value).toBe(false);
    });

    it('says there is no account only once the settings are known', async () => {
      expect(model.noAccount.value).toBe(false);
      settingsSource.settings = settings({ accounts: [] });
      await model.start();
      expect(model.noAccount.value).toBe(true);
      expect(model.status.value).toEqual({ state: NO_ACCOUNT_STATE, text: 'No SIP account configured' });

      settingsSource.change(settings());
      expect(model.noAccount.value).toBe(false);
    });

    it('prefers settings seen changing over what a slower first load read', async () => {
      let finishLoad!: (value: PanelSettings) => void;
      settingsSource.load = () => new Promise((resolve) => (finishLoad = resolve));
      const started = model.start();
      settingsSource.change(settings({ defaultCountry: 'GB' }));
      finishLoad(settings({ defaultCountry: 'RU' }));
      await started;
      expect(model.settings.value?.defaultCountry).toBe('GB');
    });

    it('sends Retry for one account and opens the options page', async () => {
      await model.start();
      await model.retryRegistration('a1');
      await model.openOptions();
      expect(client.sent.at(-1)).toEqual({ method: 'retryRegistration', data: { accountId: 'a1' } });
      expect(optionsOpened).toBe(1);
    });

    it('warns about the microphone when it is denied, not while it is still unknown', async () => {
      client.snapshot = snapshot({ microphone: 'unknown' });
      await model.start();
      expect(model.microphoneBlocked.value).toBe(false);
      source.publish(snapshot({ seq: 2, microphone: 'denied' }));
      expect(model.microphoneBlocked.value).toBe(true);
    });

    it('says which chosen audio devices are unplugged and that the defaults are used', async () => {
      await model.start();
      expect(model.audioFallbackNotices.value).toEqual([]);
      source.publish(snapshot({ seq: 2, audioFallback: { microphone: 'Jabra Evolve 20', ringer: '' } }));
      expect(model.audioFallbackNotices.value).toEqual([
        'Jabra Evolve 20 unplugged — using the default microphone',
        'Headset unplugged — calls ring on the default output',
      ]);
      source.publish(snapshot({ seq: 3 }));
      expect(model.audioFallbackNotices.value).toEqual([]);
    });
  });

  describe('dialling', () => {
    it('previews the normalized number using the default country', async () => {
      await model.start();
      expect(model.dialPreview.value.kind).toBe('hint');
      model.setDialInput('8 (916) 123-45-67');
      expect(model.dialPreview.value).toEqual({ kind: 'target', text: 'Will dial +7 916 123 45 67' });
      model.setDialInput('12');
      expect(model.dialPreview.value.text).toBe('Internal number 12');
      model.setDialInput('sip:bob@pbx.test');
      expect(model.dialPreview.value.text).toBe('SIP address bob@pbx.test');
      model.setDialInput('+7 916');
      expect(model.dialPreview.value).toEqual({ kind: 'error', text: 'Not a valid number' });
    });

    it('says what the PBX receives when the dial format changes it', async () => {
      settingsSource.settings = settings({ dialFormat: 'national' });
      await model.start();
      model.setDialInput('+7 916 123 45 67');
      expect(model.dialPreview.value.text).toBe('Will dial +7 916 123 45 67 (sent as 89161234567)');
    });

    it('types keypad characters and deletes the last one', () => {
      for (const char of ['1', '0', '1', '#']) model.pressKey(char);
      model.backspace();
      expect(model.dialInput.value).toBe('101');
    });

    it.each([
      ['an empty field', '', RegistrationState.Registered, false],
      ['an invalid number', '+7 916', RegistrationState.Registered, false],
      ['no registered account', '101', RegistrationState.Waiting, false],
      ['a valid number and a registered account', '101', RegistrationState.Registered, true],
    ])('can dial with %s: %s', async (_case, input, state, expected) => {
      client.snapshot = snapshot({ accounts: [account({ state })] });
      await model.start();
      model.setDialInput(input);
      expect(model.canDial.value).toBe(expected);
    });

    it('places the call as typed, from the registered account, and clears the field', async () => {
      client.snapshot = snapshot();
      await model.start();
      model.setDialInput(' +7 (916) 123-45-67 ');
      await expect(model.placeCall()).resolves.toBe('call-1');
      expect(client.sent.at(-1)).toEqual({
        method: 'placeCall',
        data: { target: '+7 (916) 123-45-67', accountId: 'a1' },
      });
      expect(model.dialInput.value).toBe('');
    });

    it('does not place the same call twice while the first request is on its way', async () => {
      client.snapshot = snapshot();
      let release!: () => void;
      client.gate = new Promise((resolve) => (release = resolve));
      await model.start();
      model.setDialInput('101');
      const first = model.placeCall();
      expect(model.canDial.value).toBe(false);
      await expect(model.placeCall()).resolves.toBeUndefined();
      release();
      await first;
      expect(client.methods()).toEqual(['placeCall']);
      expect(model.placing.value).toBe(false);
    });

    it('does not send anything when it cannot dial', async () => {
      client.snapshot = snapshot({ accounts: [account({ state: RegistrationState.Failed })] });
      await model.start();
      model.setDialInput('101');
      await expect(model.placeCall()).resolves.toBeUndefined();
      expect(client.methods()).toEqual([]);
    });

    it('shows the background’s error, keeps the number, and clears the error on typing', async () => {
      client.snapshot = snapshot();
      client.failure = new RemoteError('NotFoundError', 'Account a1 is not registered');
      await model.start();
      model.setDialInput('101');
      await model.placeCall();
      expect(model.dialError.value).toBe('Account a1 is not registered');
      expect(model.dialInput.value).toBe('101');
      expect(model.placing.value).toBe(false);
      model.pressKey('2');
      expect(model.dialError.value).toBeUndefined();
    });

    it('with several accounts, calls from the chosen one; by default from the first registered', async () => {
      client.snapshot = snapshot({
        accounts: [
          account({ state: RegistrationState.Waiting }),
          account({ accountId: 'a2', aor: 'sales@pbx.test' }),
          account({ accountId: 'a3', aor: 'support@pbx.test' }),
        ],
      });
      await model.start();
      expect(model.showAccountPicker.value).toBe(true);
      expect(model.fromAccount.value?.accountId).toBe('a2');

      model.chooseAccount('a3');
      model.setDialInput('101');
      await model.placeCall();
      expect(client.sent.at(-1)?.data).toEqual({ target: '101', accountId: 'a3' });

      model.chooseAccount('a1');
      expect(model.canDial.value).toBe(false);
    });

    it('hides the account selector with a single account', async () => {
      client.snapshot = snapshot();
      await model.start();
      expect(model.showAccountPicker.value).toBe(false);
    });
  });

  describe('calls', () => {
    it('Alice dials Bob: ringing out offers Cancel, no timer, mute not yet possible', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Ringing, remoteName: 'Bob' })] });
      await model.start();
      expect(model.incomingCall.value).toBeUndefined();
      expect(model.activeCall.value).toMatchObject({
        id: 'c1',
        direction: 'outbound',
        state: 'ringing',
        stateText: 'Ringing…',
        remoteLabel: 'Bob',
        remoteDetail: '+79161234567',
        hangupText: 'Cancel',
        canMute: false,
        canHangup: true,
      });
      expect(model.activeCall.value?.timer).toBeUndefined();
      expect(model.announcement.value).toBe('Bob: Ringing…');
    });

    it('Bob answers: the timer runs from answeredAt, mute toggles from the engine’s state', async () => {
      client.snapshot = snapshot({
        calls: [call({ state: CallState.Established, answeredAt: T0 - 65_000 })],
      });
      await model.start();
      expect(model.activeCall.value).toMatchObject({ timer: '01:05', hangupText: 'Hang up', canMute: true });
      advance(3_600_000);
      expect(model.activeCall.value?.timer).toBe('01:01:05');

      await model.toggleMute('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'setMute', data: { callId: 'c1', muted: true } });
      source.publish(snapshot({ seq: 2, calls: [call({ state: CallState.Established, answeredAt: T0, muted: true })] }));
      await model.toggleMute('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'setMute', data: { callId: 'c1', muted: false } });

      await model.hangup('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'hangupCall', data: { callId: 'c1' } });
    });

    it("the line turns poor during Bob's call: the card warns, with the figures behind it", async () => {
      client.snapshot = snapshot({
        calls: [
          call({
            state: CallState.Established,
            answeredAt: T0,
            quality: { mos: 4.4, jitterMs: 2, packetLossPct: 0, rttMs: 20, codec: 'opus' },
          }),
        ],
      });
      await model.start();
      expect(model.activeCall.value?.quality).toEqual({
        level: 'good',
        text: 'Good line',
        detail: 'MOS 4.4 · jitter 2 ms · loss 0.0% · round trip 20 ms',
      });
      source.publish(
        snapshot({
          seq: 2,
          calls: [call({ state: CallState.Established, answeredAt: T0, quality: { mos: 2.9, jitterMs: 61, packetLossPct: 12.5 } })],
        }),
      );
      expect(model.activeCall.value?.quality).toEqual({
        level: 'poor',
        text: 'Poor line: the other side may hear you badly',
        detail: 'MOS 2.9 · jitter 61 ms · loss 12.5% · round trip — ms',
      });
      // Ringing calls show no quality, even if figures arrived from early media.
      source.publish(snapshot({ seq: 3, calls: [call({ state: CallState.Ringing, quality: { mos: 4.4 } })] }));
      expect(model.activeCall.value?.quality).toBeUndefined();
    });

    it("the connection drops during Bob's call: the card says Reconnecting…, then In call again, and a lost call says why", async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0 })] });
      await model.start();
      expect(model.activeCall.value).toMatchObject({ stateText: 'In call', reconnecting: false });
      source.publish(
        snapshot({
          seq: 2,
          accounts: [account({ state: RegistrationState.Waiting, failure: 'connection-lost' })],
          calls: [call({ state: CallState.Established, answeredAt: T0, reconnecting: true })],
        }),
      );
      expect(model.activeCall.value).toMatchObject({ stateText: 'Reconnecting…', reconnecting: true, canHangup: true });
      expect(model.announcement.value).toContain('Reconnecting…');
      source.publish(snapshot({ seq: 3, calls: [call({ state: CallState.Established, answeredAt: T0 })] }));
      expect(model.activeCall.value).toMatchObject({ stateText: 'In call', reconnecting: false });
      advance(1000);
      source.publish(
        snapshot({
          seq: 4,
          calls: [],
          recent: [
            call({ state: CallState.Ended, answeredAt: T0, endedAt: now, endReason: CallEndReason.ConnectionLost }),
          ],
        }),
      );
      expect(model.calls.value).toEqual([]);
      expect(model.endedNotice.value).toEqual({ callId: 'c1', reason: 'connection-lost', text: 'Connection lost' });
    });

    it('records on demand: Record while talking, the indicator while recording, Stop', async () => {
      client.snapshot = snapshot({
        calls: [call({ state: CallState.Ringing, recordingPolicy: 'on-demand' })],
      });
      await model.start();
      // Nothing to record before the answer.
      expect(model.activeCall.value).toMatchObject({ canRecord: false, recording: false });
      source.publish(snapshot({ seq: 2, calls: [call({ state: CallState.Established, answeredAt: T0, recordingPolicy: 'on-demand' })] }));
      expect(model.activeCall.value).toMatchObject({ canRecord: true, recording: false });
      await model.toggleRecording('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'startRecording', data: { callId: 'c1' } });
      source.publish(
        snapshot({ seq: 3, calls: [call({ state: CallState.Established, answeredAt: T0, recordingPolicy: 'on-demand', recording: true })] }),
      );
      expect(model.activeCall.value).toMatchObject({ canRecord: true, recording: true });
      await model.toggleRecording('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'stopRecording', data: { callId: 'c1' } });
    });

    it('shows the indicator under "always" but offers no Record button; nothing under "off"', async () => {
      client.snapshot = snapshot({
        calls: [call({ state: CallState.Established, answeredAt: T0, recordingPolicy: 'always', recording: true })],
      });
      await model.start();
      expect(model.activeCall.value).toMatchObject({ canRecord: false, recording: true });
      source.publish(snapshot({ seq: 2, calls: [call({ state: CallState.Established, answeredAt: T0 })] }));
      expect(model.activeCall.value).toMatchObject({ canRecord: false, recording: false });
    });

    it('explains a lost recording from the stored error until the agent dismisses it', async () => {
      let stored: unknown = { kind: 'storage-full', at: T0, detail: 'QuotaExceededError' };
      const watchers: ((value: unknown) => void)[] = [];
      model = new PhoneModel({
        client,
        snapshotSource: source,
        settingsSource,
        openOptionsPage: async () => undefined,
        clock: () => now,
        tickMs: 60_000,
        recordingErrorSource: {
          getValue: async () => stored,
          watch: (callback) => {
            watchers.push(callback);
            return () => undefined;
          },
        },
      });
      await model.start();
      await vi.waitFor(() => expect(model.recordingErrorText.value).toMatch(/browser storage is full/));
      await model.dismissRecordingError();
      expect(model.recordingErrorText.value).toBeUndefined();
      expect(client.sent.at(-1)).toEqual({ method: 'clearRecordingError', data: {} });
      stored = { kind: 'recorder', at: T0, detail: 'x' };
      for (const watcher of watchers) watcher(stored);
      expect(model.recordingErrorText.value).toMatch(/could not be recorded/);
      for (const watcher of watchers) watcher({ kind: 'unknown-kind' });
      expect(model.recordingErrorText.value).toBeUndefined();
    });

    it('Bob is put on hold and taken off: the card follows the engine, the command goes by what it reported', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Active })] });
      await model.start();
      expect(model.activeCall.value).toMatchObject({ held: false, canHold: true, holdText: 'Hold' });
      expect(model.activeCall.value?.holdNotice).toBeUndefined();
      await model.toggleHold('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'setHold', data: { callId: 'c1', hold: true } });

      source.publish(snapshot({ seq: 2, calls: [call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Holding })] }));
      expect(model.activeCall.value).toMatchObject({ held: true, canHold: false, holdNotice: 'Putting on hold…' });
      source.publish(snapshot({ seq: 3, calls: [call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Held })] }));
      expect(model.activeCall.value).toMatchObject({ held: true, canHold: true, holdText: 'Resume', holdNotice: 'On hold' });
      await model.toggleHold('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'setHold', data: { callId: 'c1', hold: false } });

      source.publish(
        snapshot({ seq: 4, calls: [call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Active, remoteHold: true })] }),
      );
      expect(model.activeCall.value).toMatchObject({ held: false, holdNotice: 'The other side put the call on hold' });
    });

    it('a refused hold is said in the background\'s words', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Active })] });
      await model.start();
      client.failure = new RemoteError('HoldFailedError', 'The call could not be put on hold: the other side refused (488).');
      expect(await model.toggleHold('c1')).toBe(false);
      expect(model.callError.value).toBe('The call could not be put on hold: the other side refused (488).');
    });

    it('Carol calls while Alice talks: the incoming call comes first and is announced', async () => {
      client.snapshot = snapshot({
        calls: [
          call({ state: CallState.Established, answeredAt: T0 }),
          call({ id: 'c2', direction: 'inbound', state: CallState.Incoming, remoteName: 'Carol', remoteNumber: '202' }),
        ],
      });
      await model.start();
      expect(model.calls.value.map((c) => c.id)).toEqual(['c2', 'c1']);
      expect(model.incomingCall.value).toMatchObject({ id: 'c2', incoming: true, canHangup: false });
      expect(model.activeCall.value?.id).toBe('c1');
      expect(model.announcement.value).toBe('Second call waiting from Carol');

      await model.answer('c2');
      await model.decline('c2');
      expect(client.methods()).toEqual(['answerAndHold', 'declineCall']);
    });

    describe('second line', () => {
      const talking = (overrides: Partial<CallSnapshot> = {}) =>
        call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Active, line: LineRole.Active, ...overrides });
      const carol = (overrides: Partial<CallSnapshot> = {}) =>
        call({
          id: 'c2',
          direction: 'inbound',
          state: CallState.Incoming,
          remoteName: 'Carol',
          remoteNumber: '202',
          line: LineRole.Waiting,
          ...overrides,
        });

      it('Carol waits while Alice talks to Bob: her card comes first, says so, and Answer holds Bob first', async () => {
        client.snapshot = snapshot({ calls: [talking(), carol()] });
        await model.start();
        expect(model.calls.value.map((c) => [c.id, c.line])).toEqual([
          ['c2', LineRole.Waiting],
          ['c1', LineRole.Active],
        ]);
        expect(model.incomingCall.value).toMatchObject({ waiting: true, canAnswer: true, lineText: 'Call waiting' });
        expect(model.lineControls.value).toBeUndefined();
        await model.answer('c2');
        await model.hangupAndAnswer('c2');
        expect(client.sent.slice(-2)).toEqual([
          { method: 'answerAndHold', data: { callId: 'c2' } },
          { method: 'hangupAndAnswer', data: { callId: 'c2' } },
        ]);
        expect(model.callError.value).toBeUndefined();
      });

      it('says so when Bob refused to be held and was muted instead', async () => {
        client.snapshot = snapshot({ calls: [talking({ remoteName: 'Bob' }), carol()] });
        client.notHeld = [{ callId: 'c1', code: 488 }];
        await model.start();
        expect(await model.answer('c2')).toBe(true);
        expect(model.callError.value).toBe(
          'Answered. Bob could not be put on hold (488), so it is muted instead: it does not hear you, but you still hear it.',
        );
      });

      it('cannot answer Carol while a call is still dialling out (hang up and answer still can)', async () => {
        client.snapshot = snapshot({ calls: [call({ state: CallState.Ringing, line: LineRole.Connecting }), carol()] });
        await model.start();
        expect(model.incomingCall.value).toMatchObject({ waiting: true, canAnswer: false });
      });

      it('offers Swap and Merge for one active and one held call, and sends them', async () => {
        client.snapshot = snapshot({
          calls: [talking(), talking({ id: 'c2', hold: HoldState.Held, line: LineRole.Held })],
        });
        await model.start();
        expect(model.lineControls.value).toEqual({ canSwap: true, canMerge: true });
        expect(model.calls.value.map((c) => [c.id, c.held])).toEqual([
          ['c1', false],
          ['c2', true],
        ]);
        const swapping = model.swapCalls();
        expect(model.lineBusy.value).toBe(true);
        await swapping;
        expect(model.lineBusy.value).toBe(false);
        await model.mergeCalls();
        expect(client.methods()).toEqual(['swapCalls', 'mergeCalls']);
      });

      it('keeps Swap and Merge greyed while the held call is still being held', async () => {
        client.snapshot = snapshot({
          calls: [talking(), talking({ id: 'c2', hold: HoldState.Holding, line: LineRole.Held })],
        });
        await model.start();
        expect(model.lineControls.value).toEqual({ canSwap: false, canMerge: false });
      });

      it('in the conference each card offers Split instead of Hold; Split keeps that call', async () => {
        client.snapshot = snapshot({
          calls: [
            talking({ line: LineRole.Conference, conference: true }),
            talking({ id: 'c2', line: LineRole.Conference, conference: true }),
          ],
        });
        await model.start();
        expect(model.lineControls.value).toBeUndefined();
        expect(model.calls.value.map((c) => [c.inConference, c.canHold, c.lineText])).toEqual([
          [true, false, 'In conference'],
          [true, false, 'In conference'],
        ]);
        await model.splitConference('c2');
        expect(client.sent.at(-1)).toEqual({ method: 'splitConference', data: { keepCallId: 'c2' } });
      });

      it('shows a refused swap in the background’s words', async () => {
        client.snapshot = snapshot({ calls: [talking(), talking({ id: 'c2', hold: HoldState.Held, line: LineRole.Held })] });
        await model.start();
        client.failure = new RemoteError('LineMoveFailedError', 'Swap and merge need one call in progress and one on hold.');
        expect(await model.swapCalls()).toBe(false);
        expect(model.callError.value).toBe('Swap and merge need one call in progress and one on hold.');
      });
    });

    it('marks a call busy while its command is on its way', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0 })] });
      await model.start();
      const pending = model.hangup('c1');
      expect(model.activeCall.value?.busy).toBe(true);
      await pending;
      expect(model.activeCall.value?.busy).toBe(false);
    });

    it('shows why a command failed', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0 })] });
      client.failure = new Error('Receiving end does not exist.');
      await model.start();
      await expect(model.hangup('c1')).resolves.toBe(false);
      expect(model.callError.value).toBe('The phone did not respond: Receiving end does not exist.');
    });

    it('Alice presses 1, 2, #: each digit goes to the engine without waiting, and the card shows what was sent', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0 })] });
      await model.start();
      expect(model.activeCall.value).toMatchObject({ canKeypad: true, canTransfer: true });
      expect(model.keypadCallId.value).toBe('c1');
      client.gate = new Promise(() => undefined);
      void model.sendDtmf('c1', '1');
      void model.sendDtmf('c1', '2');
      void model.sendDtmf('c1', '#');
      expect(model.activeCall.value?.busy).toBe(false);
      expect(client.sent.slice(-3).map((entry) => entry.data)).toEqual([
        { callId: 'c1', digits: '1' },
        { callId: 'c1', digits: '2' },
        { callId: 'c1', digits: '#' },
      ]);
      source.publish(
        snapshot({ seq: 2, calls: [call({ state: CallState.Established, answeredAt: T0, dtmf: { sent: '12#' } })] }),
      );
      expect(model.activeCall.value).toMatchObject({ dtmfSent: '12#' });
      source.publish(
        snapshot({
          seq: 3,
          calls: [call({ state: CallState.Established, answeredAt: T0, dtmf: { sent: '12#', failure: 'refused', sipCode: 405 } })],
        }),
      );
      expect(model.activeCall.value?.dtmfError).toBe(
        'The other side did not accept the keypad tones — Not allowed by the other side',
      );
    });

    it('no keypad before the call is up', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Ringing })] });
      await model.start();
      expect(model.activeCall.value).toMatchObject({ canKeypad: false, canTransfer: false });
      expect(model.keypadCallId.value).toBeUndefined();
    });

    it('Alice is transferred to 1003 at once: the typed target is sent as typed, the card follows the transfer', async () => {
      client.snapshot = snapshot({ calls: [call({ state: CallState.Established, answeredAt: T0 })] });
      await model.start();
      model.openTransfer('c1');
      model.setTransferInput('x!');
      expect(model.transferPreview.value.kind).toBe('error');
      expect(await model.blindTransfer('c1')).toBe(false);
      model.setTransferInput('1003');
      expect(model.transferPreview.value).toEqual({ kind: 'target', text: 'Internal number 1003' });
      expect(await model.blindTransfer('c1')).toBe(true);
      expect(client.sent.at(-1)).toEqual({ method: 'blindTransfer', data: { callId: 'c1', target: '1003' } });
      expect(model.transferFor.value).toBeUndefined();
      const transferring = { state: TransferState.Referring, kind: 'blind' as const, target: '1003' };
      source.publish(snapshot({ seq: 2, calls: [call({ state: CallState.Established, answeredAt: T0, transfer: transferring })] }));
      expect(model.activeCall.value).toMatchObject({
        canTransfer: false,
        transfer: { state: 'referring', text: 'Transferring to 1003…', failed: false, canComplete: false, canCancel: false },
      });
      const refused = { state: TransferState.Failed, kind: 'blind' as const, target: '1003', failure: 'refused' as const, sipCode: 403 };
      source.publish(snapshot({ seq: 3, calls: [call({ state: CallState.Established, answeredAt: T0, transfer: refused })] }));
      expect(model.activeCall.value).toMatchObject({
        canTransfer: true,
        transfer: { failed: true, text: 'The transfer to 1003 was refused — Forbidden. The call goes on.' },
      });
    });

    it('asking 1003 first: the consult call takes the keypad, Complete waits for its answer, Back to caller cancels', async () => {
      const held = call({ state: CallState.Established, answeredAt: T0, hold: HoldState.Held, remoteName: 'Alice' });
      const consulting = { state: TransferState.Consulting, kind: 'attended' as const, target: '1003', consultCallId: 'c2' };
      const consult = (state: CallState) =>
        call({ id: 'c2', state, remoteNumber: '1003', consultFor: 'c1', ...(state === CallState.Established ? { answeredAt: T0 } : {}) });
      client.snapshot = snapshot({ calls: [{ ...held, transfer: consulting }, consult(CallState.Ringing)] });
      await model.start();
      const [caller, target] = model.calls.value;
      expect(caller).toMatchObject({ canTransfer: false, transfer: { canComplete: false, canCancel: true } });
      expect(caller?.transfer?.text).toBe('Asking 1003 first; the caller is on hold');
      expect(target).toMatchObject({ consultForText: 'Asking about a transfer of Alice', canTransfer: false });
      source.publish(snapshot({ seq: 2, calls: [{ ...held, transfer: consulting }, consult(CallState.Established)] }));
      expect(model.calls.value[0]?.transfer?.canComplete).toBe(true);
      // The caller is held: typed digits go to the target.
      expect(model.keypadCallId.value).toBe('c2');
      await model.completeTransfer('c1');
      await model.cancelTransfer('c1');
      expect(client.sent.slice(-2)).toEqual([
        { method: 'completeTransfer', data: { callId: 'c1' } },
        { method: 'cancelTransfer', data: { callId: 'c1' } },
      ]);
      model.openTransfer('c1');
      model.setTransferInput('1004');
      await model.consultTransfer('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'startConsultTransfer', data: { callId: 'c1', target: '1004' } });
    });

    it('names an anonymous caller', async () => {
      client.snapshot = snapshot({
        calls: [call({ direction: 'inbound', state: CallState.Incoming, remoteNumber: '' })],
      });
      await model.start();
      expect(model.incomingCall.value?.remoteLabel).toBe('Unknown caller');
    });
  });

  describe('the ended notice', () => {
    it('Bob is busy: the notice says why, with the SIP reason, for a few seconds after the end', async () => {
      await model.start();
      source.publish(
        snapshot({
          seq: 2,
          recent: [call({ state: CallState.Ended, endReason: CallEndReason.Rejected, sipCode: 486, endedAt: T0 })],
        }),
      );
      expect(model.endedNotice.value).toEqual({
        callId: 'c1',
        reason: 'rejected',
        text: 'Call not connected — Busy',
      });
      expect(model.announcement.value).toBe('Call not connected — Busy');
      advance(4_999);
      expect(model.endedNotice.value).toBeDefined();
      advance(1);
      expect(model.endedNotice.value).toBeUndefined();
    });

    it('is not shown for a call that ended long before the panel opened', async () => {
      client.snapshot = snapshot({
        recent: [call({ state: CallState.Ended, endReason: CallEndReason.LocalHangup, endedAt: T0 - 60_000 })],
      });
      await model.start();
      expect(model.endedNotice.value).toBeUndefined();
    });

    it('words an unlisted SIP code generically', async () => {
      client.snapshot = snapshot({
        recent: [call({ state: CallState.Ended, endReason: CallEndReason.Failed, sipCode: 503, endedAt: T0 })],
      });
      await model.start();
      expect(model.endedNotice.value?.text).toBe('Call failed — SIP error 503');
    });

    it('counts from when it was first seen when the engine gave no end time', async () => {
      await model.start();
      advance(10_000);
      source.publish(snapshot({ seq: 2, recent: [call({ state: CallState.Ended, endReason: CallEndReason.RemoteHangup })] }));
      expect(model.endedNotice.value?.reason).toBe('remote-hangup');
      advance(5_000);
      expect(model.endedNotice.value).toBeUndefined();
    });

    it('is in Russian for a Russian browser', async () => {
      setLocale('ru');
      client.snapshot = snapshot({
        recent: [call({ state: CallState.Ended, endReason: CallEndReason.Declined, sipCode: 603, endedAt: T0 })],
      });
      await model.start();
      expect(model.endedNotice.value?.text).toBe('Звонок отклонён — Отклонено');
    });

    it('says nothing about a call refused under Do not disturb (it never rang; it is in the missed list)', async () => {
      await model.start();
      source.publish(
        snapshot({
          seq: 2,
          recent: [call({ direction: 'inbound', state: CallState.Ended, endReason: CallEndReason.Declined, sipCode: 486, endedAt: T0, refusal: 'dnd' })],
        }),
      );
      expect(model.endedNotice.value).toBeUndefined();
    });
  });

  describe('Do not disturb and auto-answer', () => {
    it('shows Do not disturb as the engine reports it, and asks the background to flip it', async () => {
      await model.start();
      expect(model.doNotDisturb.value).toBe(false);
      await model.toggleDoNotDisturb();
      expect(client.sent.at(-1)).toEqual({ method: 'setDoNotDisturb', data: { on: true } });
      // Nothing changes until the engine says so.
      expect(model.doNotDisturb.value).toBe(false);
      source.publish(snapshot({ seq: 2, doNotDisturb: true }));
      expect(model.doNotDisturb.value).toBe(true);
      await model.toggleDoNotDisturb();
      expect(client.sent.at(-1)).toEqual({ method: 'setDoNotDisturb', data: { on: false } });
    });

    it('counts down to the auto-answer of a ringing call, and offers to stop it', async () => {
      await model.start();
      source.publish(
        snapshot({ seq: 2, calls: [call({ direction: 'inbound', state: CallState.Incoming, autoAnswerAt: T0 + 3_000 })] }),
      );
      expect(model.calls.value[0]).toMatchObject({ autoAnswerInSeconds: 3, autoAnswerText: 'Answering automatically in 3 s' });
      advance(2_100);
      expect(model.calls.value[0]?.autoAnswerInSeconds).toBe(1);
      await model.cancelAutoAnswer('c1');
      expect(client.sent.at(-1)).toEqual({ method: 'cancelAutoAnswer', data: { callId: 'c1' } });
      source.publish(snapshot({ seq: 3, calls: [call({ direction: 'inbound', state: CallState.Incoming })] }));
      expect(model.calls.value[0]?.autoAnswerText).toBeUndefined();
    });

    it('shows no countdown once the call is answered', async () => {
      await model.start();
      source.publish(
        snapshot({ seq: 2, calls: [call({ direction: 'inbound', state: CallState.Answering, autoAnswerAt: T0 + 3_000 })] }),
      );
      expect(model.calls.value[0]?.autoAnswerText).toBeUndefined();
    });
  });
});
