import { browser, storage } from '#imports';
import type { AfterCallSettings } from '@/lib/settings/after-call-settings';
import { CrmSettingsSchema, type CrmSettings } from '@/lib/settings/crm-settings';
import { mergeSettings, type EffectiveSettings } from '@/lib/settings/effective-settings';
import { parseManagedPolicy, type ManagedPolicy } from '@/lib/settings/managed-policy';
import {
  AccountSchema,
  AudioSettingsSchema,
  DEFAULT_SETTINGS,
  SettingsSchema,
  type AudioSettings,
  type Settings,
} from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('settings');

/**
 * The user's own settings. Version 1; later versions add `migrations` here, each with a fixture test.
 * Only extension pages and the background read it: it holds SIP passwords, which never reach content
 * scripts (they have no `storage` access to `local:` keys through our code, and get no settings).
 */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Reads the user's settings; a stored value that no longer validates falls back field by field. */
export async function loadLocalSettings(): Promise<Settings> {
  const stored = await settingsItem.getValue();
  const parsed = SettingsSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  log.warn('stored settings invalid, using defaults for invalid parts', parsed.error.issues);
  const accounts = Array.isArray(stored?.accounts) ? stored.accounts : [];
  const audio = AudioSettingsSchema.safeParse(stored?.audio);
  const crm = CrmSettingsSchema.safeParse(stored?.crm);
  return SettingsSchema.parse({
    ...DEFAULT_SETTINGS,
    accounts: accounts.filter((a) => AccountSchema.safeParse(a).success),
    ...(audio.success ? { audio: audio.data } : {}),
    ...(crm.success ? { crm: crm.data } : {}),
  });
}

/** Validates and stores the user's settings (throws the zod error for the options page to show). */
export async function saveLocalSettings(settings: Settings): Promise<void> {
  await settingsItem.setValue(SettingsSchema.parse(settings));
}

/**
 * Stores the audio settings alone (the options page's Audio section saves each choice at once),
 * leaving the rest of the user's settings as stored.
 */
export async function saveAudioSettings(audio: AudioSettings): Promise<void> {
  const current = await loadLocalSettings();
  await saveLocalSettings({ ...current, audio: AudioSettingsSchema.parse(audio) });
}

/**
 * Stores the CRM connection alone (the options page's CRM section saves it by itself, and the
 * background stores refreshed OAuth tokens), leaving the rest of the user's settings as stored.
 */
export async function saveCrmSettings(crm: CrmSettings): Promise<void> {
  const current = await loadLocalSettings();
  await saveLocalSettings({ ...current, crm: CrmSettingsSchema.parse(crm) });
}

/** Reads the administrator's policy. Firefox rejects when no policy exists: that is "no policy". */
export async function loadManagedPolicy(): Promise<ManagedPolicy> {
  try {
    return parseManagedPolicy(await browser.storage.managed.get());
  } catch {
    return {};
  }
}

export async function loadEffectiveSettings(): Promise<EffectiveSettings> {
  const [local, policy] = await Promise.all([loadLocalSettings(), loadManagedPolicy()]);
  return mergeSettings(local, policy);
}

/**
 * The after-call rules in force: the user's, with the ones the administrator fixes by policy. Every
 * reader outside the options form goes through here, so a policy SLA is never bypassed by the stored one.
 */
export async function loadAfterCallRules(): Promise<AfterCallSettings> {
  return (await loadEffectiveSettings()).settings.afterCall;
}

/**
 * Calls `callback` with the effective settings whenever the user's settings or the policy change.
 * Policy can arrive seconds after start-up (Chrome applies it late), so this must be watched, not read once.
 */
export function watchEffectiveSettings(callback: (settings: EffectiveSettings) => void): () => void {
  const listener = (_changes: unknown, area: string): void => {
    if (area !== 'managed' && area !== 'local') return;
    void loadEffectiveSettings().then(callback);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
