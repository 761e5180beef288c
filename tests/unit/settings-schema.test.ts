import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  AccountSchema,
  DEFAULT_SETTINGS,
  IceServerSchema,
  SettingsSchema,
  splitSipAddress,
} from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

const VALID_ACCOUNT = {
  id: 'a1',
  enabled: true,
  wsServer: 'wss://pbx.example.org:8089/ws',
  sipUri: '101@pbx.example.org',
  authUser: '',
  password: 'secret',
  displayName: 'Alice',
  iceServers: [],
  recording: 'on-demand',
  recordingNotice: true,
  dtmfMethod: 'info',
};

/** The message keys of the issues at `field`, as the options page shows them. */
function messagesAt(input: unknown, field: string): string[] {
  const result = AccountSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.filter((issue) => issue.path[0] === field).map((issue) => issue.message);
}

describe('AccountSchema', () => {
  it('accepts a complete account', () => {
    expect(AccountSchema.parse(VALID_ACCOUNT)).toEqual(VALID_ACCOUNT);
  });

  it('fills the optional fields with their defaults', () => {
    const { id, wsServer, sipUri, password } = VALID_ACCOUNT;
    expect(AccountSchema.parse({ id, wsServer, sipUri, password })).toEqual({
      id,
      wsServer,
      sipUri,
      password,
      enabled: true,
      authUser: '',
      displayName: '',
      iceServers: [],
      recording: 'off',
      recordingNotice: false,
      dtmfMethod: 'rfc4733',
    });
  });

  it.each(['inband', 'RFC4733', ''])('refuses the DTMF method %j', (dtmfMethod) => {
    expect(AccountSchema.safeParse({ ...VALID_ACCOUNT, dtmfMethod }).success).toBe(false);
  });

  it.each(['sometimes', 'ON', ''])('refuses the recording policy %j', (recording) => {
    expect(AccountSchema.safeParse({ ...VALID_ACCOUNT, recording }).success).toBe(false);
  });

  it.each([
    ['ws://127.0.0.1:8080', 'ws://127.0.0.1:8080'],
    ['wss://pbx.example.org/ws', 'wss://pbx.example.org/ws'],
    ['  wss://pbx.example.org  ', 'wss://pbx.example.org'],
  ])('accepts the WebSocket server %j', (wsServer, expected) => {
    expect(AccountSchema.parse({ ...VALID_ACCOUNT, wsServer }).wsServer).toBe(expected);
  });

  it.each([
    ['', 'settings.error.required'],
    ['   ', 'settings.error.required'],
    ['https://pbx.example.org', 'settings.error.wsServer'],
    ['pbx.example.org', 'settings.error.wsServer'],
    ['sip:101@pbx.example.org', 'settings.error.wsServer'],
    ['ws://', 'settings.error.wsServer'],
  ])('rejects the WebSocket server %j with %s first', (wsServer, key) => {
    // zod 4 runs the refine after a failed min(1) too; the options page shows the first message.
    expect(messagesAt({ ...VALID_ACCOUNT, wsServer }, 'wsServer')[0]).toBe(key);
  });

  it.each([
    ['101@pbx.example.org', '101@pbx.example.org'],
    ['sip:101@pbx.example.org', '101@pbx.example.org'],
    ['SIPS:alice@example.org:5061', 'alice@example.org:5061'],
    [' 101@pbx.example.org ', '101@pbx.example.org'],
  ])('accepts the SIP address %j as %j', (sipUri, expected) => {
    expect(AccountSchema.parse({ ...VALID_ACCOUNT, sipUri }).sipUri).toBe(expected);
  });

  it.each([
    [''],
    ['101'],
    ['pbx.example.org'],
    ['101@'],
    ['@pbx.example.org'],
    ['a b@pbx.example.org'],
    ['101@pbx.example.org;transport=ws'],
  ])('rejects the SIP address %j with settings.error.sipUri', (sipUri) => {
    expect(messagesAt({ ...VALID_ACCOUNT, sipUri }, 'sipUri')).toEqual(['settings.error.sipUri']);
  });

  it('requires a password', () => {
    expect(messagesAt({ ...VALID_ACCOUNT, password: '' }, 'password')).toEqual(['settings.error.required']);
  });

  it.each([
    ['x'.repeat(64), []],
    ['x'.repeat(65), ['settings.error.tooLong']],
  ])('limits the display name (%#)', (displayName, keys) => {
    expect(messagesAt({ ...VALID_ACCOUNT, displayName }, 'displayName')).toEqual(keys);
  });

  it('reports the ICE server URL that is not STUN or TURN', () => {
    const iceServers = [{ urls: 'stun:ok.example.org' }, { urls: 'http://bad.example.org' }];
    const result = AccountSchema.safeParse({ ...VALID_ACCOUNT, iceServers });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['iceServers', 1, 'urls'], 'settings.error.iceUrl'],
    ]);
  });
});

describe('IceServerSchema', () => {
  it.each([
    'stun:stun.example.org',
    'stuns:stun.example.org:5349',
    'turn:t.example.org:3478?transport=udp',
    'TURNS:t.example.org',
  ])('accepts %s', (urls) => {
    expect(IceServerSchema.safeParse({ urls }).success).toBe(true);
  });

  it.each(['', 'stun:', 'http://stun.example.org', 'stun:host with space'])('rejects %j', (urls) => {
    expect(IceServerSchema.safeParse({ urls }).error?.issues[0]?.message).toBe('settings.error.iceUrl');
  });
});

describe('SettingsSchema', () => {
  it('defaults to no accounts, Russia, E.164 and 486', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      accounts: [],
      defaultCountry: 'RU',
      dialFormat: 'e164',
      declineCode: 486,
      dispositions: [],
      recordingRetentionDays: 90,
      recordingMaxMb: 1000,
      dndResponse: 486,
      dndRedirectTarget: '',
      autoAnswer: false,
      autoAnswerDelaySeconds: 3,
      intercomAutoAnswer: false,
      audio: { ringVolume: 80, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      crm: { kind: 'none' },
      afterCall: { callbackTask: true, callbackDueMinutes: 15, answeredNote: true, newNumber: 'lead' },
    });
  });

  it('reads settings stored before Do not disturb and auto-answer with both off and 486 for callers', () => {
    const parsed = SettingsSchema.parse({ accounts: [VALID_ACCOUNT], defaultCountry: 'RU', dialFormat: 'e164', declineCode: 486 });
    expect(parsed).toMatchObject({ dndResponse: 486, dndRedirectTarget: '', autoAnswer: false, intercomAutoAnswer: false });
  });

  it.each([-1, 11, 2.5])('refuses an auto-answer delay of %s s', (autoAnswerDelaySeconds) => {
    const result = SettingsSchema.safeParse({ autoAnswerDelaySeconds });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('settings.error.autoAnswerDelay');
  });

  it.each([486, 480, 302])('takes %s as the answer under Do not disturb', (dndResponse) => {
    expect(SettingsSchema.parse({ dndResponse }).dndResponse).toBe(dndResponse);
  });

  it('refuses other answers under Do not disturb (603 would tell the PBX not to try voicemail)', () => {
    expect(SettingsSchema.safeParse({ dndResponse: 603 }).success).toBe(false);
  });

  it('reads settings stored before audio devices existed with the system defaults, ring volume 80 and processing on', () => {
    const parsed = SettingsSchema.parse({ accounts: [], defaultCountry: 'RU', dialFormat: 'e164', declineCode: 486 });
    expect(parsed.audio).toEqual({ ringVolume: 80, echoCancellation: true, noiseSuppression: true, autoGainControl: true });
  });

  it.each([-1, 101, 50.5])('refuses a ring volume of %j', (ringVolume) => {
    expect(SettingsSchema.safeParse({ audio: { ringVolume } }).success).toBe(false);
  });

  it('keeps a chosen device with its label, and gives a device without a label an empty one', () => {
    const parsed = SettingsSchema.parse({ audio: { microphone: { deviceId: 'abc', label: 'USB Headset' }, ringer: { deviceId: 'def' } } });
    expect(parsed.audio.microphone).toEqual({ deviceId: 'abc', label: 'USB Headset' });
    expect(parsed.audio.ringer).toEqual({ deviceId: 'def', label: '' });
  });

  it('reads settings stored before recording existed with recording off and the default retention', () => {
    const { recording: _r, recordingNotice: _n, ...oldAccount } = VALID_ACCOUNT;
    const parsed = SettingsSchema.parse({ accounts: [oldAccount], defaultCountry: 'RU', dialFormat: 'e164', declineCode: 486 });
    expect(parsed.accounts[0]).toMatchObject({ recording: 'off', recordingNotice: false });
    expect(parsed).toMatchObject({ recordingRetentionDays: 90, recordingMaxMb: 1000 });
  });

  it.each([
    ['recordingRetentionDays', -1, 'settings.error.retentionDays'],
    ['recordingRetentionDays', 2.5, 'settings.error.retentionDays'],
    ['recordingMaxMb', 0, 'settings.error.recordingMaxMb'],
    ['recordingMaxMb', Number.NaN, 'settings.error.recordingMaxMb'],
  ])('refuses %s = %d with %s', (field, value, message) => {
    const result = SettingsSchema.safeParse({ [field]: value });
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it.each([
    ['de', 'DE'],
    [' us ', 'US'],
    ['KZ', 'KZ'],
  ])('reads the country %j as %s', (defaultCountry, expected) => {
    expect(SettingsSchema.parse({ defaultCountry }).defaultCountry).toBe(expected);
  });

  it.each(['XX', 'RUS', '', 'ZZ'])('rejects the country %j with settings.error.country', (defaultCountry) => {
    const result = SettingsSchema.safeParse({ defaultCountry });
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['defaultCountry'], 'settings.error.country'],
    ]);
  });

  it.each([
    [{ dialFormat: 'e164-no-plus' }, true],
    [{ dialFormat: 'national' }, true],
    [{ dialFormat: 'international' }, false],
    [{ declineCode: 603 }, true],
    [{ declineCode: 404 }, false],
    [{ declineCode: '486' }, false],
  ])('validates %j (valid: %s)', (input, valid) => {
    expect(SettingsSchema.safeParse(input).success).toBe(valid);
  });

  it('reports an invalid account by its index', () => {
    const result = SettingsSchema.safeParse({
      accounts: [VALID_ACCOUNT, { ...VALID_ACCOUNT, id: 'a2', wsServer: 'http://x' }],
    });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['accounts', 1, 'wsServer']]);
  });
});

describe('splitSipAddress', () => {
  it.each([
    ['101@pbx.example.org', { user: '101', host: 'pbx.example.org' }],
    ['sip:alice@example.org:5060', { user: 'alice', host: 'example.org:5060' }],
  ])('splits %s', (uri, parts) => {
    expect(splitSipAddress(uri)).toEqual(parts);
  });
});
