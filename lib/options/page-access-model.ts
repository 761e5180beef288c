import { signal, type ReadonlySignal } from '@preact/signals';
import { ALL_SITES_ORIGINS } from '@/lib/settings/page-access';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/**
 * Whether click-to-call may read the pages you open: `all` once the user allowed access to every
 * http/https site, `none` before (or after revoking), `unknown` until the browser has answered.
 */
export type PageAccessState = 'unknown' | 'all' | 'none';

/** Why the last request did nothing; an i18n key of the options catalogue. */
export type PageAccessProblem = 'c2c.access.refused' | 'c2c.access.failed' | 'c2c.access.crmLost';

/** The browser's permission API for the page origins (`permissions` in production, a fake in tests). */
export interface PageAccessPermissions {
  /** Whether every page origin is granted. */
  contains(): Promise<boolean>;
  /** Asks the browser (its own prompt); must be called within the user's click. */
  request(): Promise<boolean>;
  remove(): Promise<boolean>;
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
  start(): Promise<void>;
  /** Asks for access to all sites; the background registers the content script when it is granted. */
  allowAllSites(): Promise<void>;
  /** Gives the access back; the background unregisters the content script. */
  revoke(): Promise<void>;
  dispose(): void;
}

/** Creates the model; call {@link PageAccessModel.start} to read the current grant. */
export function createPageAccessModel(permissions: PageAccessPermissions): PageAccessModel {
  const state = signal<PageAccessState>('unknown');
  const problem = signal<PageAccessProblem | undefined>(undefined);
  let unwatch: (() => void) | undefined;

  const refresh = async (): Promise<void> => {
    state.value = (await permissions.contains()) ? 'all' : 'none';
  };

  return {
    state,
    problem,
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
