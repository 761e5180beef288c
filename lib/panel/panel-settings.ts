import { loadEffectiveSettings, watchEffectiveSettings } from '@/lib/settings/settings-store';
import type { EffectiveSettings } from '@/lib/settings/effective-settings';
import type { DialFormat } from '@/lib/settings/settings-schema';

/** One configured account, as the panel needs it (no secrets). */
export interface PanelAccount {
  id: string;
  enabled: boolean;
  /** `user@host`. */
  aor: string;
  displayName: string;
}

/** The part of the effective settings the panel uses: how to read numbers, and which accounts exist. */
export interface PanelSettings {
  defaultCountry: string;
  dialFormat: DialFormat;
  accounts: readonly PanelAccount[];
  /** The team's dispositions (empty: the standard list). */
  dispositions: readonly string[];
}

/** Where the panel gets its settings; watched, because the policy can arrive late. */
export interface PanelSettingsSource {
  load(): Promise<PanelSettings>;
  /** Calls `callback` whenever the settings change; returns a function that stops watching. */
  watch(callback: (settings: PanelSettings) => void): () => void;
}

/** Keeps what the panel needs, dropping passwords and server details. */
export function toPanelSettings({ settings }: EffectiveSettings): PanelSettings {
  return {
    defaultCountry: settings.defaultCountry,
    dialFormat: settings.dialFormat,
    dispositions: settings.dispositions,
    accounts: settings.accounts.map((account) => ({
      id: account.id,
      enabled: account.enabled,
      aor: account.sipUri,
      displayName: account.displayName,
    })),
  };
}

/** The effective settings (user settings merged with the administrator's policy). */
export function createEffectiveSettingsSource(): PanelSettingsSource {
  return {
    load: async () => toPanelSettings(await loadEffectiveSettings()),
    watch: (callback) => watchEffectiveSettings((settings) => callback(toPanelSettings(settings))),
  };
}
