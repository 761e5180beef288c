import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { mergeSettings, POLICY_ACCOUNT_ID, type EffectiveSettings } from '@/lib/settings/effective-settings';
import { parseManagedPolicy, type ManagedPolicy } from '@/lib/settings/managed-policy';
import { DEFAULT_SETTINGS, type Account, type Settings } from '@/lib/settings/settings-schema';
import {
  loadEffectiveSettings,
  loadLocalSettings,
  saveLocalSettings,
  watchEffectiveSettings,
} from '@/lib/settings/settings-store';
import { setLogLevel } from '@/lib/util/logger';

const OWN: Account = {
  id: 'own-1',
  enabled: true,
  wsServer: 'wss://own.example.org/ws',
  sipUri: 'alice@own.example.org',
  authUser: '',
  password: 'alice-secret',
  displayName: 'Alice',
  iceServers: [],
  recording: 'off',
  recordingNotice: false,
  dtmfMethod: 'rfc4733',
};

const LOCAL: Settings = { ...DEFAULT_SETTINGS, accounts: [OWN], defaultCountry: 'DE', dialFormat: 'national' };

const POLICY_ACCOUNT: ManagedPolicy = {
  wsServer: 'wss://pbx.corp.example/ws',
  sipUri: '200@pbx.corp.example',
  password: 'corp-secret',
};

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
});

describe('mergeSettings', () => {
  it('returns the local settings unchanged without a policy', () => {
    const merged = mergeSettings(LOCAL, {});
    expect(merged.settings).toEqual(LOCAL);
    expect([...merged.locked]).toEqual([]);
    expect(merged.hasPolicyAccount).toBe(false);
    expect(merged.policyErrors).toEqual([]);
  });

  it.each([
    [{ defaultCountry: 'kz' }, 'defaultCountry', 'KZ'],
    [{ dialFormat: 'e164-no-plus' }, 'dialFormat', 'e164-no-plus'],
    [{ declineCode: 603 }, 'declineCode', 603],
  ] as const)('lets the policy %j win and locks %s', (policy, field, value) => {
    const merged = mergeSettings(LOCAL, policy);
    expect(merged.settings[field]).toBe(value);
    expect([...merged.locked]).toEqual([field]);
  });

  it("fixes the team's dispositions by policy", () => {
    const merged = mergeSettings({ ...LOCAL, dispositions: ['Mine'] }, parseManagedPolicy({ dispositions: ['Sale', 'Quote'] }));
    expect(merged.settings.dispositions).toEqual(['Sale', 'Quote']);
    expect([...merged.locked]).toEqual(['dispositions']);
    // A list the settings schema would refuse (duplicates) is ignored, not half-applied.
    expect(parseManagedPolicy({ dispositions: ['Sale', 'sale'] })).toEqual({});
  });

  it('does not touch the local settings object', () => {
    const local = structuredClone(LOCAL);
    mergeSettings(local, { ...POLICY_ACCOUNT, defaultCountry: 'US', allowUserAccounts: false });
    expect(local).toEqual(LOCAL);
  });

  it('puts the provisioned account first, before the user’s own', () => {
    const merged = mergeSettings(LOCAL, { ...POLICY_ACCOUNT, displayName: 'Desk 200' });
    expect(merged.hasPolicyAccount).toBe(true);
    expect(merged.settings.accounts.map((account) => account.id)).toEqual([POLICY_ACCOUNT_ID, OWN.id]);
    expect(merged.settings.accounts[0]).toEqual({
      id: POLICY_ACCOUNT_ID,
      enabled: true,
      wsServer: 'wss://pbx.corp.example/ws',
      sipUri: '200@pbx.corp.example',
      authUser: '',
      password: 'corp-secret',
      displayName: 'Desk 200',
      iceServers: [],
      recording: 'off',
      recordingNotice: false,
      dtmfMethod: 'rfc4733',
    });
    expect(merged.locked.has('accounts')).toBe(false);
  });

  it('gives the provisioned account the policy’s recording and fixes the retention', () => {
    const merged = mergeSettings(LOCAL, {
      ...POLICY_ACCOUNT,
      recording: 'always',
      recordingNotice: true,
      recordingRetentionDays: 30,
      recordingMaxMb: 200,
    });
    expect(merged.settings.accounts[0]).toMatchObject({ recording: 'always', recordingNotice: true });
    expect(merged.settings).toMatchObject({ recordingRetentionDays: 30, recordingMaxMb: 200 });
    expect([...merged.locked].sort()).toEqual(['recordingMaxMb', 'recordingRetentionDays']);
  });

  it('gives the provisioned account the policy’s DTMF method', () => {
    const merged = mergeSettings(LOCAL, { ...POLICY_ACCOUNT, dtmfMethod: 'info' });
    expect(merged.settings.accounts[0]).toMatchObject({ id: POLICY_ACCOUNT_ID, dtmfMethod: 'info' });
  });

  it('replaces a local account that claims the reserved id', () => {
    const local = { ...LOCAL, accounts: [{ ...OWN, id: POLICY_ACCOUNT_ID }, OWN] };
    const merged = mergeSettings(local, POLICY_ACCOUNT);
    expect(merged.settings.accounts.map((account) => account.password)).toEqual(['corp-secret', 'alice-secret']);
  });

  it('uses only the provisioned account when user accounts are not allowed', () => {
    const merged = mergeSettings(LOCAL, { ...POLICY_ACCOUNT, allowUserAccounts: false });
    expect(merged.settings.accounts.map((account) => account.id)).toEqual([POLICY_ACCOUNT_ID]);
    expect(merged.locked.has('accounts')).toBe(true);
  });

  it('leaves no account at all when user accounts are not allowed and none is provisioned', () => {
    const merged = mergeSettings(LOCAL, { allowUserAccounts: false });
    expect(merged.settings.accounts).toEqual([]);
    expect(merged.locked.has('accounts')).toBe(true);
    expect(merged.hasPolicyAccount).toBe(false);
  });

  it.each([
    [{ ...POLICY_ACCOUNT, wsServer: 'http://pbx.corp.example' }, ['wsServer']],
    [{ ...POLICY_ACCOUNT, sipUri: 'not-an-address' }, ['sipUri']],
    [{ wsServer: POLICY_ACCOUNT.wsServer, sipUri: POLICY_ACCOUNT.sipUri }, ['password']],
    [{ sipUri: '200@pbx.corp.example', password: 'x' }, ['wsServer']],
    [{ defaultCountry: 'Atlantis' }, ['defaultCountry']],
  ])('reports the invalid policy %j as %j and keeps the user’s values', (policy, errors) => {
    const merged = mergeSettings(LOCAL, policy);
    expect(merged.policyErrors).toEqual(errors);
    expect(merged.hasPolicyAccount).toBe(false);
    expect(merged.settings.accounts).toEqual([OWN]);
    expect(merged.settings.defaultCountry).toBe('DE');
    expect(merged.locked.size).toBe(0);
  });
});

describe('parseManagedPolicy', () => {
  it('keeps the valid keys and drops the invalid and unknown ones one by one', () => {
    expect(
      parseManagedPolicy({
        wsServer: 'wss://pbx.corp.example/ws',
        dialFormat: 'sometimes',
        declineCode: 603,
        allowUserAccounts: 'no',
        iceServers: [{ urls: 'stun:stun.corp.example' }],
        unknown: 1,
      }),
    ).toEqual({
      wsServer: 'wss://pbx.corp.example/ws',
      declineCode: 603,
      iceServers: [{ urls: 'stun:stun.corp.example' }],
    });
  });

  it.each([null, undefined, 'text', 42])('reads %j as no policy', (raw) => {
    expect(parseManagedPolicy(raw)).toEqual({});
  });
});

describe('settings store with a policy', () => {
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    stop = undefined;
  });

  it('merges what is stored locally with the managed storage', async () => {
    await saveLocalSettings(LOCAL);
    await fakeBrowser.storage.managed.set({ ...POLICY_ACCOUNT, dialFormat: 'e164' });
    const effective = await loadEffectiveSettings();
    expect(effective.settings.accounts.map((account) => account.id)).toEqual([POLICY_ACCOUNT_ID, OWN.id]);
    expect(effective.settings.dialFormat).toBe('e164');
    expect([...effective.locked]).toEqual(['dialFormat']);
  });

  it('reads no policy on Firefox without one (storage.managed.get() rejects there) and keeps the user’s settings', async () => {
    await saveLocalSettings(LOCAL);
    // Firefox's words when policies.json has no entry for the add-on (seen with Firefox ESR 153).
    const get = vi
      .spyOn(fakeBrowser.storage.managed, 'get')
      .mockRejectedValue(new Error('Managed storage manifest not found'));
    const effective = await loadEffectiveSettings().finally(() => get.mockRestore());
    expect(effective.settings).toEqual(LOCAL);
    expect(effective.hasPolicyAccount).toBe(false);
    expect([...effective.locked]).toEqual([]);
  });

  it('calls back when the policy arrives after start-up, without writing it into local settings', async () => {
    await saveLocalSettings(LOCAL);
    const seen: EffectiveSettings[] = [];
    stop = watchEffectiveSettings((effective) => seen.push(effective));
    expect((await loadEffectiveSettings()).hasPolicyAccount).toBe(false);

    // Chrome applies machine policy seconds after start: storage.onChanged fires with area 'managed'.
    await fakeBrowser.storage.managed.set({ ...POLICY_ACCOUNT, allowUserAccounts: false, defaultCountry: 'US' });
    await vi.waitFor(() => expect(seen).toHaveLength(1));

    expect(seen[0]!.hasPolicyAccount).toBe(true);
    expect(seen[0]!.settings.accounts.map((account) => account.id)).toEqual([POLICY_ACCOUNT_ID]);
    expect(seen[0]!.settings.defaultCountry).toBe('US');
    expect(await loadLocalSettings()).toEqual(LOCAL);
  });

  it('calls back when the user’s settings change, and not after it is stopped', async () => {
    const seen: EffectiveSettings[] = [];
    stop = watchEffectiveSettings((effective) => seen.push(effective));
    await saveLocalSettings(LOCAL);
    await vi.waitFor(() => expect(seen.at(-1)?.settings).toEqual(LOCAL));

    stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const count = seen.length;
    await saveLocalSettings(DEFAULT_SETTINGS);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveLength(count);
  });

  it('ignores changes to session storage', async () => {
    const seen: EffectiveSettings[] = [];
    stop = watchEffectiveSettings((effective) => seen.push(effective));
    await fakeBrowser.storage.session.set({ unrelated: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([]);
  });
});
