import { storage } from '#imports';
import { z } from 'zod';
import { CountrySchema } from '@/lib/settings/settings-schema';

/** A site is a host name as the address bar shows it (`crm.example.com`), without scheme or port. */
export const SiteSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+$/, { message: 'settings.error.site' });

/**
 * Click-to-call settings, kept apart from the phone settings: content scripts get only what this
 * produces for their own page (on/off and a region), never accounts or passwords.
 */
export const ClickToCallSettingsSchema = z.object({
  /** Detection on every site. */
  enabled: z.boolean().default(true),
  /** Sites where detection is off (a site covers its subdomains). */
  disabledSites: z.array(SiteSchema).default([]),
  /** Region for numbers without a country code, per site, overriding the default country. */
  siteRegions: z.record(SiteSchema, CountrySchema).default({}),
  /** A trusted click on a `tel:`/`sip:` link calls through the softphone instead of the OS handler. */
  interceptTelLinks: z.boolean().default(true),
});
export type ClickToCallSettings = z.infer<typeof ClickToCallSettingsSchema>;

export const DEFAULT_CLICK_TO_CALL: ClickToCallSettings = ClickToCallSettingsSchema.parse({});

export const clickToCallItem = storage.defineItem<ClickToCallSettings>('local:clickToCall', {
  fallback: DEFAULT_CLICK_TO_CALL,
  version: 1,
});

/** Reads the settings; an invalid stored value falls back to the defaults. */
export async function loadClickToCallSettings(): Promise<ClickToCallSettings> {
  const parsed = ClickToCallSettingsSchema.safeParse(await clickToCallItem.getValue());
  return parsed.success ? parsed.data : DEFAULT_CLICK_TO_CALL;
}

/** What a page's content script is told. */
export interface PageConfig {
  enabled: boolean;
  defaultRegion: string;
  interceptTelLinks: boolean;
}

/** Whether `host` is `site` or one of its subdomains. */
function hostMatches(host: string, site: string): boolean {
  return host === site || host.endsWith(`.${site}`);
}

/** The configuration for a page at `url`, given the settings and the phone's default country. */
export function pageConfigFor(url: string, settings: ClickToCallSettings, defaultCountry: string): PageConfig {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return { enabled: false, defaultRegion: defaultCountry, interceptTelLinks: false };
  }
  const disabled = !settings.enabled || settings.disabledSites.some((site) => hostMatches(host, site));
  // The most specific site wins: crm.example.com over example.com.
  const region = Object.entries(settings.siteRegions)
    .filter(([site]) => hostMatches(host, site))
    .sort(([a], [b]) => b.length - a.length)[0]?.[1];
  return {
    enabled: !disabled,
    defaultRegion: region ?? defaultCountry,
    interceptTelLinks: !disabled && settings.interceptTelLinks,
  };
}
