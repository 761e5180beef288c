import { browser } from '#imports';
import { ALL_SITES_ORIGINS, CLICK_TO_CALL_SCRIPT_FILE, CLICK_TO_CALL_SCRIPT_ID, isPagePattern } from '@/lib/settings/page-access';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('click-to-call');

/** What the registration needs of the browser (`permissions` and `scripting` in production, fakes in tests). */
export interface ContentScriptHost {
  /** Every host pattern granted now (`permissions.getAll().origins`). */
  grantedOrigins(): Promise<readonly string[]>;
  /** The match patterns the click-to-call script is registered for; `undefined` when it is not registered. */
  registeredMatches(): Promise<readonly string[] | undefined>;
  register(matches: readonly string[]): Promise<void>;
  update(matches: readonly string[]): Promise<void>;
  unregister(): Promise<void>;
}

/** The click-to-call script's registration, kept in step with the host access the user granted. */
export interface ClickToCallRegistration {
  /**
   * Registers the content script for the granted page origins, changes its matches when they changed,
   * or unregisters it when none is granted. Calls are queued, so a start and a permission event that
   * arrive together cannot register the same id twice.
   */
  sync(): Promise<void>;
}

/**
 * Creates the registration. The browser keeps a registered script across sessions
 * (`persistAcrossSessions`), but the background syncs at every start anyway, so the registration
 * never rests on what the browser kept: access can change while the worker is stopped.
 */
export function createClickToCallRegistration(host: ContentScriptHost): ClickToCallRegistration {
  let queue: Promise<void> = Promise.resolve();

  const syncNow = async (): Promise<void> => {
    const granted = pageMatches(await host.grantedOrigins());
    const registered = await host.registeredMatches();
    if (granted.length === 0) {
      if (registered) {
        await host.unregister();
        log.info('page access revoked: click-to-call script unregistered');
      }
      return;
    }
    if (!registered) {
      await host.register(granted);
      log.info('page access granted: click-to-call script registered for', granted.join(' '));
    } else if (!sameSet(registered, granted)) {
      await host.update(granted);
      log.info('click-to-call script now runs on', granted.join(' '));
    }
  };

  return {
    sync() {
      const next = queue.then(syncNow);
      // A failed sync must not block the next one.
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * The click-to-call script's matches for the granted host patterns: every page pattern (all sites,
 * the sites the user chose, the CRM account's host), without those an all-sites grant already
 * covers. In the order granted, so an unchanged grant never looks changed.
 */
export function pageMatches(granted: readonly string[]): string[] {
  const pages = [...new Set(granted.filter(isPagePattern))];
  const allOf = new Set(ALL_SITES_ORIGINS.filter((origin) => pages.includes(origin)).map((origin) => origin.split(':')[0]));
  return pages.filter((pattern) => ALL_SITES_ORIGINS.includes(pattern) || !allOf.has(pattern.split(':')[0]!));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/** {@link ContentScriptHost} on the real browser: `permissions` + `scripting` (Firefox MV2 has it since 102). */
export function browserContentScriptHost(): ContentScriptHost {
  const script = (matches: readonly string[]) => ({
    id: CLICK_TO_CALL_SCRIPT_ID,
    js: [CLICK_TO_CALL_SCRIPT_FILE],
    matches: [...matches],
    // As the manifest entry was: early, so the highlight style is in before the first layout.
    runAt: 'document_start' as const,
    persistAcrossSessions: true,
  });
  return {
    grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
    async registeredMatches() {
      const scripts = await browser.scripting.getRegisteredContentScripts({ ids: [CLICK_TO_CALL_SCRIPT_ID] });
      return scripts[0]?.matches;
    },
    register: (matches) => browser.scripting.registerContentScripts([script(matches)]),
    update: (matches) => browser.scripting.updateContentScripts([script(matches)]),
    unregister: () => browser.scripting.unregisterContentScripts({ ids: [CLICK_TO_CALL_SCRIPT_ID] }),
  };
}

/**
 * Keeps the click-to-call script registered exactly where page access is granted (all sites, chosen
 * sites, the CRM account's host): at every start of the background and whenever the user grants or
 * revokes access (options page, the browser's own site-access settings).
 */
export function startClickToCallRegistration(
  registration: ClickToCallRegistration = createClickToCallRegistration(browserContentScriptHost()),
): void {
  const sync = () => void registration.sync().catch((error: unknown) => log.error('click-to-call registration failed', error));
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
  sync();
}
