import { signal, type ReadonlySignal } from '@preact/signals';
import { AMO_HOST_PERMISSIONS } from '@/lib/crm/amocrm/amo-host';
import { ALL_SITES_ORIGINS, hostOfPattern, isPagePattern, parseSite, sitePatterns } from '@/lib/settings/page-access';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/**
 * Whether click-to-call may read the pages you open: `all` once the user allowed access to every
 * http/https site, `some` when only chosen sites (or the CRM account's pages) are allowed, `none`
 * before (or after revoking), `unknown` until the browser has answered.
 */
export type PageAccessState = 'unknown' | 'all' | 'some' | 'none';

/** Why the last request did nothing; an i18n key of the options catalogue. */
export type PageAccessProblem =
  | 'c2c.access.refused'
  | 'c2c.access.failed'
  | 'c2c.access.crmLost'
  | 'c2c.access.siteInvalid';

/** A site click-to-call may read besides all sites: one the user chose, or the CRM account's pages. */
export interface AllowedSite {
  /** As shown: `crm.example.com`, `*.amocrm.ru`. */
  host: string;
  /** Granted for the CRM connection: removing it here would cut the CRM off, so it is not offered. */
  crm: boolean;
}

/** The browser's permission API for the page origins (`permissions` in production, a fake in tests). */
export interface PageAccessPermissions {
  /** Whether every page origin is granted. */
  contains(): Promise<boolean>;
  /** Asks the browser (its own prompt); must be called within the user's click. */
  request(): Promise<boolean>;
  remove(): Promise<boolean>;
  /** Gives back these host patterns. */
  removeOrigins(origins: string[]): Promise<boolean>;
  /** Every host pattern granted now (`permissions.getAll().origins`). */
  grantedOrigins(): Promise<string[]>;
  /** Asks for these host patterns again (within the same click). */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Calls back when permissions change anywhere (this page, the browser's settings); returns an unsubscribe function. */
  watch(callback: () => void): () => void;
}

/** The page-access part of the options page's click-to-call section. */
export interface PageAccessModel {
  readonly state: ReadonlySignal<PageAccessState>;
  readonly problem: ReadonlySignal<PageAccessProblem | undefined>;
  /** The sites allowed one by one, in the order granted (all sites aside). */
  readonly sites: ReadonlySignal<readonly AllowedSite[]>;
  start(): Promise<void>;
  /** Asks for access to all sites; the background registers the content script when it is granted. */
  allowAllSites(): Promise<void>;
  /**
   * Asks for access to one site the user typed (see `parseSite`), both schemes and every port; the
   * background adds it to the content script's matches when it is granted. Resolves true when it was.
   */
  allowSite(input: string): Promise<boolean>;
  /** Gives back the access to one chosen site. */
  removeSite(host: string): Promise<void>;
  /** Gives the access back; the background unregisters the content script. */
  revoke(): Promise<void>;
  dispose(): void;
}

/** Creates the model; call {@link PageAccessModel.start} to read the current grant. */
export function createPageAccessModel(permissions: PageAccessPermissions): PageAccessModel {
  const state = signal<PageAccessState>('unknown');
  const problem = signal<PageAccessProblem | undefined>(undefined);
  const sites = signal<readonly AllowedSite[]>([]);
  let unwatch: (() => void) | undefined;

  const refresh = async (): Promise<void> => {
    const [all, granted] = await Promise.all([permissions.contains(), permissions.grantedOrigins()]);
    const hosts = [
      ...new Set(granted.filter((origin) => isPagePattern(origin) && !ALL_SITES_ORIGINS.includes(origin)).map(hostOfPattern)),
    ];
    sites.value = hosts.map((host) => ({ host, crm: isCrmHost(host) }));
    state.value = all ? 'all' : hosts.length > 0 ? 'some' : 'none';
  };

  return {
    state,
    problem,
    sites,
    async start() {
      unwatch = permissions.watch(() => void refresh());
      await refresh();
    },
    async allowAllSites() {
      problem.value = undefined;
      try {
        // The request goes first: the browser accepts it only within the click.
        const granted = await permissions.request();
        if (!granted) problem.value = 'c2c.access.refused';
      } catch (error) {
        log.warn('page access request failed', error);
        problem.value = 'c2c.access.failed';
      }
      await refresh();
    },
    async allowSite(input) {
      problem.value = undefined;
      const host = parseSite(input);
      if (host === undefined) {
        problem.value = 'c2c.access.siteInvalid';
        return false;
      }
      let granted = false;
      try {
        // The request goes first: the browser accepts it only within the click.
        granted = await permissions.requestOrigins(sitePatterns(host));
        if (!granted) problem.value = 'c2c.access.refused';
      } catch (error) {
        log.warn('site access request failed', error);
        problem.value = 'c2c.access.failed';
      }
      await refresh();
      return granted;
    },
    async removeSite(host) {
      problem.value = undefined;
      if (sites.value.some((site) => site.host === host && site.crm)) return;
      try {
        const granted = await permissions.grantedOrigins();
        const patterns = granted.filter((origin) => isPagePattern(origin) && hostOfPattern(origin) === host);
        if (patterns.length > 0) await permissions.removeOrigins(patterns);
      } catch (error) {
        log.warn('site access not removed', error);
        problem.value = 'c2c.access.failed';
      }
      await refresh();
    },
    async revoke() {
      problem.value = undefined;
      try {
        // Chrome removes every granted pattern inside the removed ones, so taking back all sites
        // also takes the CRM account's host (a narrower grant). Whatever went with it is asked for
        // again at once, still within the user's click.
        const before = await permissions.grantedOrigins();
        await permissions.remove();
        const after = new Set(await permissions.grantedOrigins());
        const lost = before.filter((origin) => !after.has(origin) && !ALL_SITES_ORIGINS.includes(origin));
        if (lost.length > 0 && !(await permissions.requestOrigins(lost))) problem.value = 'c2c.access.crmLost';
      } catch (error) {
        log.warn('page access not removed', error);
        problem.value = 'c2c.access.failed';
      }
      await refresh();
    },
    dispose() {
      unwatch?.();
    },
  };
}

/** The amoCRM / Kommo domains the CRM connection is granted (`*.amocrm.ru`, or one account's host). */
const CRM_SUFFIXES = AMO_HOST_PERMISSIONS.map((pattern) => hostOfPattern(pattern).replace(/^\*/, ''));

function isCrmHost(host: string): boolean {
  const bare = host.replace(/^\*/, '');
  return CRM_SUFFIXES.some((suffix) => bare === suffix || bare.endsWith(suffix));
}
