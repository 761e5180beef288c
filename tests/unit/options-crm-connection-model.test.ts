import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AMO_HOST_PERMISSIONS, parseAmoHost } from '@/lib/crm/amocrm/amo-host';
import type { CrmConnectionTestResult } from '@/lib/messaging/crm-connection-test-result';
import {
  createCrmConnectionModel,
  validateCrmDraft,
  type CrmConnectionModelDeps,
  type CrmDraft,
} from '@/lib/options/crm-connection-model';
import type { CrmSettings } from '@/lib/settings/crm-settings';
import { DEFAULT_SETTINGS, SettingsSchema } from '@/lib/settings/settings-schema';
import { buildSettingsFile, parseSettingsFile } from '@/lib/options/settings-file';

const OAUTH: CrmSettings = {
  kind: 'amocrm',
  amocrm: {
    host: 'romashka.amocrm.ru',
    auth: {
      type: 'oauth',
      clientId: 'app',
      clientSecret: 'secret',
      redirectUri: 'https://example.com/oauth',
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 1,
    },
  },
};

const EMPTY: CrmDraft = { kind: 'none', host: '', method: 'token', token: '', clientId: '', clientSecret: '' };

function rig(stored: CrmSettings = { kind: 'none' }, overrides: Partial<CrmConnectionModelDeps> = {}) {
  const saved: CrmSettings[] = [];
  const requested: string[][] = [];
  const test = vi.fn<(data: { amocrm: NonNullable<CrmSettings['amocrm']> }) => Promise<CrmConnectionTestResult>>(
    async () => ({ ok: true, accountName: 'Ромашка', userName: 'Ольга Смирнова' }),
  );
  const model = createCrmConnectionModel({
    store: {
      load: async () => stored,
      save: async (crm) => {
        saved.push(crm);
      },
    },
    client: { testCrmConnection: test, signInAmoCrm: vi.fn() },
    requestOrigins: async (origins) => {
      requested.push(origins);
      return true;
    },
    ...overrides,
  });
  return { model, saved, requested, test };
}

describe('amoCRM account host', () => {
  it.each([
    ['romashka.amocrm.ru', 'romashka.amocrm.ru'],
    [' https://Romashka.amocrm.com/leads/detail/5 ', 'romashka.amocrm.com'],
    ['shop-1.kommo.com', 'shop-1.kommo.com'],
    ['amocrm.ru', undefined],
    ['evil.com/romashka.amocrm.ru', undefined],
    ['romashka.amocrm.ru.evil.com', undefined],
    ['http://romashka.amocrm.ru', undefined],
    ['a.b.amocrm.ru', undefined],
    ['', undefined],
  ])('%j → %j', (input, host) => {
    expect(parseAmoHost(input)).toBe(host);
  });

  it('the manifest asks for exactly the amoCRM domains, as optional host permissions', () => {
    const config = readFileSync(join(import.meta.dirname, '../../wxt.config.ts'), 'utf8');
    for (const pattern of AMO_HOST_PERMISSIONS) expect(config).toContain(`'${pattern}'`);
    // Beside the pages click-to-call may be allowed on (ALL_SITES_ORIGINS), also optional.
    expect(config).toMatch(/optional_host_permissions: \[\.\.\.AMO_HOST_PATTERNS, \.\.\.ALL_SITES_ORIGINS\]/);
    expect(config).toMatch(/optional_permissions: \[\.\.\.AMO_HOST_PATTERNS, \.\.\.ALL_SITES_ORIGINS\]/);
  });
});

describe('CRM settings', () => {
  it('old stored settings without a CRM read as no CRM', () => {
    const { crm: _crm, ...old } = DEFAULT_SETTINGS;
    expect(SettingsSchema.parse(old).crm).toEqual({ kind: 'none' });
  });

  it('a host outside the amoCRM domains does not validate', () => {
    const bad = { kind: 'amocrm', amocrm: { host: 'crm.example.com', auth: { type: 'token', token: 't' } } };
    expect(SettingsSchema.safeParse({ crm: bad }).success).toBe(false);
  });

  it('a settings file without passwords leaves the CRM token out, and importing it keeps the current connection', () => {
    const settings = { ...DEFAULT_SETTINGS, crm: OAUTH };
    const file = buildSettingsFile(settings);
    expect(file.settings.crm).toBeUndefined();
    const imported = parseSettingsFile(JSON.stringify(file), settings);
    expect(imported.ok && imported.settings.crm).toEqual(OAUTH);
    expect(buildSettingsFile(settings, { includePasswords: true }).settings.crm).toEqual(OAUTH);
  });
});

describe('validateCrmDraft', () => {
  it('none forgets the connection', () => {
    expect(validateCrmDraft({ ...EMPTY, kind: 'none', host: 'x', token: 'y' }, OAUTH)).toEqual({ ok: true, crm: { kind: 'none' } });
  });

  it('amoCRM needs a host on the three domains and a token', () => {
    const result = validateCrmDraft({ ...EMPTY, kind: 'amocrm', host: 'crm.example.com', token: ' ' }, { kind: 'none' });
    expect(result.ok === false && [...result.errors]).toEqual([
      ['host', 'crm.error.host'],
      ['token', 'crm.error.token'],
    ]);
  });

  it('OAuth keeps the stored connection of the same account and integration, and asks to sign in otherwise', () => {
    const draft = { ...EMPTY, kind: 'amocrm' as const, method: 'oauth' as const, clientId: 'app', clientSecret: 'secret' };
    expect(validateCrmDraft({ ...draft, host: 'romashka.amocrm.ru' }, OAUTH)).toEqual({ ok: true, crm: OAUTH });
    for (const changed of [{ host: 'other.amocrm.ru' }, { host: 'romashka.amocrm.ru', clientSecret: 'rotated' }]) {
      const result = validateCrmDraft({ ...draft, ...changed }, OAUTH);
      expect(result.ok === false && [...result.errors]).toEqual([['signIn', 'crm.error.signIn']]);
    }
  });
});

describe('CrmConnectionModel', () => {
  it('shows no errors until Save, then the worded ones, and saves nothing invalid', async () => {
    const { model, saved, requested } = rig();
    await model.start();
    model.setField('kind', 'amocrm');
    model.setField('host', 'romashka.example.com');
    expect(model.visibleErrors.value.size).toBe(0);
    await model.save();
    expect([...model.visibleErrors.value.values()]).toEqual(['crm.error.host', 'crm.error.token']);
    expect(saved).toEqual([]);
    expect(requested).toEqual([]);
  });

  it('Save asks for the account host only, then stores the token connection', async () => {
    const { model, saved, requested } = rig();
    await model.start();
    model.setField('kind', 'amocrm');
    model.setField('host', 'https://romashka.kommo.com/');
    model.setField('token', ' jwt ');
    await model.save();
    expect(requested).toEqual([['https://romashka.kommo.com/*']]);
    expect(saved).toEqual([{ kind: 'amocrm', amocrm: { host: 'romashka.kommo.com', auth: { type: 'token', token: 'jwt' } } }]);
    expect(model.saveStatus.value).toEqual({ state: 'saved' });
    expect(model.draft.value.host).toBe('romashka.kommo.com');
  });

  it('host access refused: nothing saved, the refusal worded', async () => {
    const { model, saved } = rig({ kind: 'none' }, { requestOrigins: async () => false });
    await model.start();
    model.setField('kind', 'amocrm');
    model.setField('host', 'romashka.amocrm.ru');
    model.setField('token', 'jwt');
    await model.save();
    expect(saved).toEqual([]);
    expect(model.testStatus.value).toEqual({ state: 'failed', failure: 'permission' });
  });

  it('Test connection sends the typed connection to the background and shows the account and user', async () => {
    const { model, test } = rig(OAUTH);
    await model.start();
    expect(model.hasOAuth.value).toBe(true);
    expect(model.draft.value).toEqual({
      kind: 'amocrm',
      host: 'romashka.amocrm.ru',
      method: 'oauth',
      token: '',
      clientId: 'app',
      clientSecret: 'secret',
    });
    await model.test();
    expect(test).toHaveBeenCalledWith({ amocrm: OAUTH.amocrm });
    expect(model.testStatus.value).toEqual({ state: 'ok', accountName: 'Ромашка', userName: 'Ольга Смирнова' });
  });

  it('a failed test keeps the failure kind and detail; a background that does not answer is an error', async () => {
    const { model, test } = rig(OAUTH);
    await model.start();
    test.mockResolvedValueOnce({ ok: false, failure: 'auth', detail: 'amoCRM did not accept the token' });
    await model.test();
    expect(model.testStatus.value).toEqual({ state: 'failed', failure: 'auth', detail: 'amoCRM did not accept the token' });
    test.mockRejectedValueOnce(new Error('no receiver'));
    await model.test();
    expect(model.testStatus.value).toEqual({ state: 'error', message: 'no receiver' });
  });
});

describe('the settings form and the CRM section', () => {
  it('saving the settings form keeps the CRM connection the CRM section stored meanwhile', async () => {
    const { fakeBrowser } = await import('wxt/testing/fake-browser');
    const { createOptionsModel } = await import('@/lib/options/options-model');
    const { loadLocalSettings, saveCrmSettings } = await import('@/lib/settings/settings-store');
    fakeBrowser.reset();
    const options = createOptionsModel({ client: { testConnection: vi.fn() }, language: 'ru-RU' });
    await options.start();
    options.setGlobal('dialFormat', 'national');
    // The CRM section saves by itself while the form has unsaved changes.
    await saveCrmSettings(OAUTH);
    await options.save();
    const stored = await loadLocalSettings();
    expect(stored.dialFormat).toBe('national');
    expect(stored.crm).toEqual(OAUTH);
    options.dispose();
  });
});
