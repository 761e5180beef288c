import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  buildSettingsFile,
  formatSettingsFile,
  parseSettingsFile,
  SETTINGS_FILE_NAME,
  type SettingsFileImport,
} from '@/lib/options/settings-file';
import { DEFAULT_AUDIO_SETTINGS, DEFAULT_SETTINGS, type Account, type Settings } from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

const ALICE: Account = {
  id: 'alice',
  enabled: true,
  wsServer: 'wss://pbx.example.org/ws',
  sipUri: '101@pbx.example.org',
  authUser: '',
  password: 'alice-secret',
  displayName: 'Alice',
  iceServers: [{ urls: 'turn:turn.example.org', username: 'u', credential: 'turn-secret' }],
  recording: 'off',
  recordingNotice: false,
  dtmfMethod: 'rfc4733',
};
const BOB: Account = { ...ALICE, id: 'bob', sipUri: '102@pbx.example.org', password: 'bob-secret', displayName: 'Bob' };

const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  accounts: [ALICE, BOB],
  defaultCountry: 'KZ',
  dialFormat: 'national',
  declineCode: 603,
  dispositions: ['Sale'],
  recordingRetentionDays: 90,
  recordingMaxMb: 1000,
  audio: DEFAULT_AUDIO_SETTINGS,
};

function file(settings: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'crm-softphone-settings', version: 1, settings, ...extra });
}

/** The problems as `[path, key]`, for compact expectations. */
function problemsOf(result: SettingsFileImport): [string, string][] {
  if (result.ok) throw new Error('expected the import to fail');
  return result.problems.map((problem) => [problem.path.join('.'), problem.key]);
}

describe('buildSettingsFile', () => {
  it('names the download softphone-settings.json', () => {
    expect(SETTINGS_FILE_NAME).toBe('softphone-settings.json');
  });

  it('leaves the SIP passwords out by default', () => {
    const built = buildSettingsFile(SETTINGS);
    expect(built.format).toBe('crm-softphone-settings');
    expect(built.version).toBe(1);
    expect(built.settings.accounts.map((account) => account.password)).toEqual(['', '']);
    expect(built.settings.defaultCountry).toBe('KZ');
    // TURN credentials belong to the server, not the user: they stay.
    expect(built.settings.accounts[0]!.iceServers).toEqual(ALICE.iceServers);
  });

  it('keeps the passwords when asked', () => {
    expect(buildSettingsFile(SETTINGS, { includePasswords: true }).settings).toEqual(SETTINGS);
  });

  it('does not change the settings it is given', () => {
    const copy = structuredClone(SETTINGS);
    buildSettingsFile(copy);
    expect(copy).toEqual(SETTINGS);
  });

  it('writes JSON that imports back to the same settings', () => {
    const text = formatSettingsFile(SETTINGS, { includePasswords: true });
    expect(parseSettingsFile(text, DEFAULT_SETTINGS)).toEqual({ ok: true, settings: SETTINGS });
  });
});

describe('parseSettingsFile', () => {
  it('takes the saved password of the account with the same id when the file has none', () => {
    const text = formatSettingsFile(SETTINGS);
    const current: Settings = { ...DEFAULT_SETTINGS, accounts: [{ ...BOB, password: 'bob-here' }, ALICE] };
    const result = parseSettingsFile(text, current);
    expect(result.ok && result.settings.accounts.map((account) => account.password)).toEqual([
      'alice-secret',
      'bob-here',
    ]);
  });

  it('prefers a password that is in the file', () => {
    const current: Settings = { ...DEFAULT_SETTINGS, accounts: [{ ...ALICE, password: 'old' }] };
    const result = parseSettingsFile(file({ accounts: [ALICE] }), current);
    expect(result.ok && result.settings.accounts[0]!.password).toBe('alice-secret');
  });

  it('treats a missing password like an empty one', () => {
    const { password: _omitted, ...withoutPassword } = ALICE;
    const result = parseSettingsFile(file({ accounts: [withoutPassword] }), { ...DEFAULT_SETTINGS, accounts: [ALICE] });
    expect(result.ok && result.settings.accounts[0]!.password).toBe('alice-secret');
  });

  it('fills defaults for what the file leaves out', () => {
    expect(parseSettingsFile(file({}), SETTINGS)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it('reports an account without password in the file or here', () => {
    const text = formatSettingsFile(SETTINGS);
    const result = parseSettingsFile(text, { ...DEFAULT_SETTINGS, accounts: [ALICE] });
    expect(problemsOf(result)).toEqual([['accounts.1.password', 'import.error.passwordMissing']]);
  });

  it.each<[string, string, [string, string][]]>([
    ['not JSON', '{"format":', [['', 'import.error.notJson']]],
    ['another JSON file', JSON.stringify({ name: 'package' }), [['', 'import.error.notSettingsFile']]],
    ['a JSON array', '[1,2]', [['', 'import.error.notSettingsFile']]],
    ['settings that are not an object', file('text'), [['', 'import.error.notSettingsFile']]],
    ['a newer format version', file({}, { version: 2 }), [['', 'import.error.version']]],
    [
      'an invalid WebSocket server',
      file({ accounts: [{ ...ALICE, wsServer: 'https://pbx.example.org' }] }),
      [['accounts.0.wsServer', 'settings.error.wsServer']],
    ],
    [
      'several problems at once',
      file({
        accounts: [ALICE, { ...BOB, sipUri: 'bob', iceServers: [{ urls: 'http://x' }] }],
        defaultCountry: 'XX',
        dialFormat: 'sometimes',
      }),
      [
        ['accounts.1.sipUri', 'settings.error.sipUri'],
        ['accounts.1.iceServers.0.urls', 'settings.error.iceUrl'],
        ['defaultCountry', 'settings.error.country'],
        ['dialFormat', 'settings.error.invalid'],
      ],
    ],
    ['accounts that are not a list', file({ accounts: 'all' }), [['accounts', 'settings.error.invalid']]],
    ['an account that is not an object', file({ accounts: [42] }), [['accounts.0', 'settings.error.invalid']]],
    [
      'two accounts with one id',
      file({ accounts: [ALICE, { ...BOB, id: 'alice' }] }),
      [['accounts.1.id', 'import.error.duplicateId']],
    ],
    [
      'the reserved policy id',
      file({ accounts: [{ ...ALICE, id: 'policy' }] }),
      [['accounts.0.id', 'import.error.reservedId']],
    ],
  ])('rejects %s', (_what, text, problems) => {
    expect(problemsOf(parseSettingsFile(text, SETTINGS))).toEqual(problems);
  });

  it('passes the format version on for the message', () => {
    const result = parseSettingsFile(file({}, { version: 7 }), SETTINGS);
    expect(result).toEqual({ ok: false, problems: [{ key: 'import.error.version', params: { version: 7 }, path: [] }] });
  });
});
