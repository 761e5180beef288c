import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { countryChoices } from '@/lib/options/country-choices';
import { countryForLanguage } from '@/lib/options/default-country';
import {
  draftFromSettings,
  emptyAccountDraft,
  sameDraft,
  validateAccountDraft,
  validateSettingsDraft,
  type AccountDraft,
  type SettingsDraft,
} from '@/lib/options/settings-draft';
import { DEFAULT_AUDIO_SETTINGS, DEFAULT_SETTINGS, type Settings } from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

const ACCOUNT: AccountDraft = {
  id: 'a1',
  enabled: true,
  wsServer: 'wss://pbx.example.org/ws',
  sipUri: 'sip:101@pbx.example.org',
  authUser: '',
  password: 'secret',
  displayName: ' Alice ',
  iceServers: 'stun:stun.example.org\nturn:turn.example.org user pass',
  recording: 'on-demand',
  recordingNotice: true,
  dtmfMethod: 'info',
};

const DRAFT: SettingsDraft = {
  accounts: [ACCOUNT],
  defaultCountry: 'de',
  dialFormat: 'national',
  declineCode: 603,
  dispositions: ' Sale \n\nSent a quote\r\n',
  recordingRetentionDays: '30',
  recordingMaxMb: '500',
  dndResponse: 302,
  dndRedirectTarget: ' *97 ',
  autoAnswer: true,
  autoAnswerDelaySeconds: '2',
  intercomAutoAnswer: true,
  audio: { ...DEFAULT_AUDIO_SETTINGS, microphone: { deviceId: 'mic-1', label: 'USB Headset' } },
  crm: { kind: 'amocrm', amocrm: { host: 'romashka.amocrm.ru', auth: { type: 'token', token: 'jwt' } } },
  afterCall: { callbackTask: true, callbackDueMinutes: ' 30 ', answeredNote: false, newNumber: 'contact' },
};

describe('validateSettingsDraft', () => {
  it('turns a valid form into settings as the schema normalizes them', () => {
    expect(validateSettingsDraft(DRAFT)).toEqual({
      ok: true,
      errors: new Map(),
      settings: {
        accounts: [
          {
            id: 'a1',
            enabled: true,
            wsServer: 'wss://pbx.example.org/ws',
            sipUri: '101@pbx.example.org',
            authUser: '',
            password: 'secret',
            displayName: 'Alice',
            iceServers: [
              { urls: 'stun:stun.example.org' },
              { urls: 'turn:turn.example.org', username: 'user', credential: 'pass' },
            ],
            recording: 'on-demand',
            recordingNotice: true,
            dtmfMethod: 'info',
          },
        ],
        defaultCountry: 'DE',
        dialFormat: 'national',
        declineCode: 603,
        dispositions: ['Sale', 'Sent a quote'],
        recordingRetentionDays: 30,
        recordingMaxMb: 500,
        dndResponse: 302,
        dndRedirectTarget: '*97',
        autoAnswer: true,
        autoAnswerDelaySeconds: 2,
        intercomAutoAnswer: true,
        audio: DRAFT.audio,
        crm: DRAFT.crm,
        afterCall: { callbackTask: true, callbackDueMinutes: 30, answeredNote: false, newNumber: 'contact' },
      },
    });
  });

  it.each([
    { what: 'a negative callback delay', minutes: '-1' },
    { what: 'a callback delay over a week', minutes: '10081' },
    { what: 'a blank callback delay', minutes: '' },
  ])('refuses $what with a worded error on its field', ({ minutes }) => {
    const result = validateSettingsDraft({ ...DRAFT, afterCall: { ...DRAFT.afterCall, callbackDueMinutes: minutes } });
    expect(result.ok).toBe(false);
    expect(result.errors.get('callbackDueMinutes')).toEqual({ key: 'settings.error.callbackDueMinutes' });
  });

  it('keeps the after-call rules through a load and save of the form', () => {
    const afterCall = { callbackTask: false, callbackDueMinutes: 0.5, answeredNote: true, newNumber: 'off' } as const;
    const result = validateSettingsDraft(draftFromSettings({ ...DEFAULT_SETTINGS, afterCall }));
    expect(result.ok && result.settings.afterCall).toEqual(afterCall);
  });

  it.each([
    { what: 'a redirect without a target', change: { dndRedirectTarget: '  ' }, key: 'settings.error.dndRedirectTarget' },
    { what: 'a target that cannot be dialled', change: { dndRedirectTarget: 'voicemail please' }, key: 'settings.error.dndRedirectInvalid' },
    { what: 'a delay above 10 s', change: { autoAnswerDelaySeconds: '11' }, key: 'settings.error.autoAnswerDelay' },
    { what: 'a delay that is not whole', change: { autoAnswerDelaySeconds: '1.5' }, key: 'settings.error.autoAnswerDelay' },
    { what: 'a blank delay', change: { autoAnswerDelaySeconds: '' }, key: 'settings.error.autoAnswerDelay' },
  ] as const)('refuses $what with a worded error on its field', ({ change, key }) => {
    const result = validateSettingsDraft({ ...DRAFT, ...change });
    expect(result.ok).toBe(false);
    const field = Object.keys(change)[0]!;
    expect(result.errors.get(field)).toEqual({ key });
  });

  it('lets 486 and 480 go without a redirect target', () => {
    for (const dndResponse of [486, 480] as const) {
      expect(validateSettingsDraft({ ...DRAFT, dndResponse, dndRedirectTarget: '' }).ok).toBe(true);
    }
  });

  it('keeps Do not disturb and auto-answer settings through a load and save of the form', () => {
    const result = validateSettingsDraft(draftFromSettings({ ...DEFAULT_SETTINGS, autoAnswer: true, autoAnswerDelaySeconds: 0, dndResponse: 480 }));
    expect(result.ok && result.settings).toMatchObject({ autoAnswer: true, autoAnswerDelaySeconds: 0, dndResponse: 480 });
  });

  it.each<[string, string, string]>([
    ['the same label twice, whatever the case', 'Sale\nsale', 'settings.error.duplicate'],
    ['more than 40 labels', Array.from({ length: 41 }, (_, i) => `Label ${i}`).join('\n'), 'settings.error.tooMany'],
    ['a label over 60 characters', 'x'.repeat(61), 'settings.error.tooLong'],
  ])('refuses dispositions with %s', (_, dispositions, key) => {
    const result = validateSettingsDraft({ ...DRAFT, dispositions });
    expect(result.ok).toBe(false);
    expect(result.errors.get('dispositions')?.key).toBe(key);
  });

  it.each<[string, Partial<AccountDraft>, [string, string][]]>([
    ['an empty account', {}, [
      ['new.wsServer', 'settings.error.required'],
      ['new.sipUri', 'settings.error.sipUri'],
      ['new.password', 'settings.error.required'],
    ]],
    ['a wrong server', { wsServer: 'http://x', sipUri: 'a@b', password: 'p' }, [
      ['new.wsServer', 'settings.error.wsServer'],
    ]],
    ['a long name', { wsServer: 'ws://x', sipUri: 'a@b', password: 'p', displayName: 'n'.repeat(65) }, [
      ['new.displayName', 'settings.error.tooLong'],
    ]],
    ['bad ICE lines', { wsServer: 'ws://x', sipUri: 'a@b', password: 'p', iceServers: 'turn:t\nstun:ok\nfoo' }, [
      ['new.iceServers', 'settings.error.iceLines'],
    ]],
  ])('reports %s field by field, first message only', (_what, fields, expected) => {
    const draft = { ...emptyAccountDraft('new'), ...fields };
    const result = validateSettingsDraft({ ...DRAFT, accounts: [ACCOUNT, draft] });
    expect(result.ok).toBe(false);
    expect([...result.errors].map(([key, error]) => [key, error.key])).toEqual(expected);
  });

  it('says which ICE lines are wrong', () => {
    const result = validateAccountDraft({ ...ACCOUNT, iceServers: 'turn:t\nstun:ok\nfoo' });
    expect(result.errors.get('a1.iceServers')).toEqual({ key: 'settings.error.iceLines', params: { lines: '1, 3' } });
  });

  it('reports a global field by its name', () => {
    const result = validateSettingsDraft({ ...DRAFT, defaultCountry: 'XX' });
    expect([...result.errors]).toEqual([['defaultCountry', { key: 'settings.error.country' }]]);
  });
});

describe('draftFromSettings', () => {
  it('is the inverse of validation for saved settings', () => {
    const result = validateSettingsDraft(DRAFT);
    if (!result.ok) throw new Error('draft should be valid');
    const again = validateSettingsDraft(draftFromSettings(result.settings));
    expect(again.ok && again.settings).toEqual(result.settings);
  });

  it('compares drafts by value', () => {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    expect(sameDraft(draftFromSettings(settings), draftFromSettings({ ...settings }))).toBe(true);
    expect(sameDraft(draftFromSettings(settings), { ...draftFromSettings(settings), declineCode: 603 })).toBe(false);
  });
});

describe('countryForLanguage', () => {
  it.each([
    ['ru', 'RU'],
    ['ru-RU', 'RU'],
    ['en-US', 'US'],
    ['en-GB', 'GB'],
    ['en', 'US'],
    ['de', 'DE'],
    ['kk-KZ', 'KZ'],
    ['pt-BR', 'BR'],
    ['es-419', 'RU'],
    ['not a tag!', 'RU'],
    [undefined, 'RU'],
  ])('picks %s → %s', (language, country) => {
    expect(countryForLanguage(language)).toBe(country);
  });
});

describe('countryChoices', () => {
  it('lists the common countries first and every supported country after, by name', () => {
    const { common, all } = countryChoices('en');
    expect(common[0]).toEqual({ code: 'RU', label: 'Russia (+7)' });
    expect(common.map((choice) => choice.code)).toContain('US');
    expect(all.length).toBeGreaterThan(200);
    expect(all.find((choice) => choice.code === 'DE')?.label).toBe('Germany (+49)');
    const labels = all.map((choice) => choice.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('names the countries in the page language', () => {
    expect(countryChoices('ru').common[0]).toEqual({ code: 'RU', label: 'Россия (+7)' });
  });
});
