import { signal, type ReadonlySignal } from '@preact/signals';
import {
  ClickToCallSettingsSchema,
  DEFAULT_CLICK_TO_CALL,
  SiteSchema,
  type ClickToCallSettings,
} from '@/lib/settings/click-to-call-settings';
import { CountrySchema } from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/** Where the click-to-call settings live (the storage item in production, a fake in tests). */
export interface ClickToCallStore {
  load(): Promise<ClickToCallSettings>;
  save(settings: ClickToCallSettings): Promise<void>;
  /** Calls back when the stored settings change elsewhere; returns an unsubscribe function. */
  watch(callback: () => void): () => void;
}

/** Why a site could not be added; an i18n key of the options catalogue. */
export type SiteProblem = 'settings.error.site' | 'settings.error.country';

export interface ClickToCallModel {
  readonly settings: ReadonlySignal<ClickToCallSettings>;
  /** The last problem with what the user typed, cleared by the next success. */
  readonly problem: ReadonlySignal<SiteProblem | undefined>;
  start(): Promise<void>;
  setEnabled(enabled: boolean): Promise<void>;
  setInterceptTelLinks(intercept: boolean): Promise<void>;
  /** Turns detection off on a site (a host name or a pasted address). */
  disableSite(input: string): Promise<void>;
  enableSite(site: string): Promise<void>;
  /** Sets the region for numbers without a country code on a site. */
  setSiteRegion(input: string, region: string): Promise<void>;
  removeSiteRegion(site: string): Promise<void>;
  dispose(): void;
}

/** A host name from what the user typed: `crm.example.com`, `https://crm.example.com/leads/1`… */
export function siteFromInput(input: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  let host = trimmed;
  try {
    host = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`).hostname;
  } catch {
    return undefined;
  }
  const parsed = SiteSchema.safeParse(host.replace(/^www\./, ''));
  if (!parsed.success) return undefined;
  // A site is a domain (has a dot) or a local name people use for internal CRMs.
  return parsed.data.includes('.') || parsed.data === 'localhost' ? parsed.data : undefined;
}

/**
 * The click-to-call section of the options page. Unlike the account form, each change is saved at
 * once: these are switches and lists, and pages are told right away.
 */
export function createClickToCallModel(store: ClickToCallStore): ClickToCallModel {
  const settings = signal<ClickToCallSettings>(DEFAULT_CLICK_TO_CALL);
  const problem = signal<SiteProblem | undefined>(undefined);
  let unwatch: (() => void) | undefined;

  const update = async (change: (current: ClickToCallSettings) => ClickToCallSettings): Promise<void> => {
    const next = ClickToCallSettingsSchema.parse(change(settings.value));
    settings.value = next;
    problem.value = undefined;
    try {
      await store.save(next);
    } catch (error) {
      log.error('click-to-call settings not saved', error);
      settings.value = await store.load();
    }
  };

  return {
    settings,
    problem,
    async start() {
      settings.value = await store.load();
      unwatch = store.watch(() => {
        void store.load().then((value) => {
          settings.value = value;
        });
      });
    },
    setEnabled: (enabled) => update((s) => ({ ...s, enabled })),
    setInterceptTelLinks: (interceptTelLinks) => update((s) => ({ ...s, interceptTelLinks })),
    async disableSite(input) {
      const site = siteFromInput(input);
      if (!site) {
        problem.value = 'settings.error.site';
        return;
      }
      await update((s) => ({ ...s, disabledSites: [...new Set([...s.disabledSites, site])].sort() }));
    },
    enableSite: (site) => update((s) => ({ ...s, disabledSites: s.disabledSites.filter((x) => x !== site) })),
    async setSiteRegion(input, region) {
      const site = siteFromInput(input);
      if (!site) {
        problem.value = 'settings.error.site';
        return;
      }
      const country = CountrySchema.safeParse(region);
      if (!country.success) {
        problem.value = 'settings.error.country';
        return;
      }
      await update((s) => ({ ...s, siteRegions: { ...s.siteRegions, [site]: country.data } }));
    },
    removeSiteRegion: (site) =>
      update((s) => ({ ...s, siteRegions: Object.fromEntries(Object.entries(s.siteRegions).filter(([k]) => k !== site)) })),
    dispose() {
      unwatch?.();
    },
  };
}
