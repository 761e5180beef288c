import { storage } from '#imports';
import { amoAccountHost, entityOfPageCall, isAmoAccountPage, type AmoPageContext } from '@/lib/crm/amocrm/amo-page-context';
import { amoEntityOfUrl, type AmoPageEntity } from '@/lib/crm/amocrm/amo-page-entity';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import type { CrmSettings } from '@/lib/settings/crm-settings';
import { ForbiddenSenderError } from '@/lib/util/exception';

/** A tab's amoCRM page context as the background keeps it, with the address it was reported from. */
export interface StoredPageContext extends AmoPageContext {
  /** The page address the browser gave for the report (`sender.url`). */
  url: string;
  at: number;
}

/**
 * Per tab (by tab id): the amoCRM card it shows. In session storage, because the worker may stop
 * between the report and the call; the browser drops it when it closes.
 */
export const crmPageContextsItem = storage.defineItem<Record<string, StoredPageContext>>('session:crmPageContexts', {
  fallback: {},
});

/** Where the page contexts are kept (`crmPageContextsItem` in the extension). */
export interface PageContextStore {
  getValue(): Promise<Record<string, StoredPageContext>>;
  setValue(value: Record<string, StoredPageContext>): Promise<void>;
}

/** What a content script's message says about its sender, as the browser reported it. */
export interface PageSender {
  tabId: number | undefined;
  /** `sender.url` (or the tab's URL): set by the browser, not by the page. */
  url: string | undefined;
}

export interface CrmPageContextsOptions {
  store: PageContextStore;
  /** The CRM connection in the settings now. */
  crm: () => Promise<CrmSettings>;
  /** @defaultValue `Date.now` */
  now?: () => number;
}

/** The background's view of which amoCRM card each tab shows. */
export interface CrmPageContexts {
  /** Whether the address is a page of the connected amoCRM account. */
  isAccountPage(url: string | undefined): Promise<boolean>;
  /**
   * Keeps what a content script reports. Refused (`ForbiddenSenderError`) unless the sender's page is
   * on the connected account's host and the card it names is the one in the sender's address.
   */
  report(context: AmoPageContext, sender: PageSender): Promise<void>;
  /**
   * The record a call to `number` placed from this page is logged against, given the page's context
   * at the click (from the content script), or the one last reported for the tab (context menu,
   * keyboard shortcut). `undefined` for any page that is not a card of the connected account.
   */
  entityForCall(
    sender: PageSender,
    number: string,
    region: string,
    atClick?: AmoPageContext,
  ): Promise<CrmEntityRef | undefined>;
  /** The tab closed. */
  forget(tabId: number): Promise<void>;
}

/**
 * Page context of amoCRM tabs. Content scripts are not trusted: a page can run anything beside them,
 * and on a compromised renderer it can send anything. So the record always comes from the address
 * the browser reports for the sender, which must be on the connected account's host; a content
 * script's claim is only accepted when it names that same record, and only its list of the card's
 * phones is taken from it (it narrows which numbers the record is used for, never widens it).
 */
export function createCrmPageContexts(options: CrmPageContextsOptions): CrmPageContexts {
  const { store, now = Date.now } = options;
  // One read-modify-write at a time, so two tabs reporting together cannot drop each other's context.
  let writing: Promise<void> = Promise.resolve();
  const update = (change: (all: Record<string, StoredPageContext>) => void): Promise<void> => {
    const run = writing.then(async () => {
      const all = { ...(await store.getValue()) };
      change(all);
      await store.setValue(all);
    });
    writing = run.catch(() => undefined);
    return run;
  };

  const accountHost = async (): Promise<string | undefined> => amoAccountHost(await options.crm());

  /** The claim checked against the sender's address: the address's record and the claimed phones. */
  const attested = async (claim: AmoPageContext, url: string | undefined): Promise<AmoPageContext | undefined> => {
    if (!isAmoAccountPage(url, await accountHost())) return undefined;
    const entity = amoEntityOfUrl(url ?? '');
    if (!sameEntity(entity, claim.entity)) return undefined;
    return entity ? { entity, phones: claim.phones } : { phones: claim.phones };
  };

  return {
    async isAccountPage(url) {
      return isAmoAccountPage(url, await accountHost());
    },
    async report(context, sender) {
      const checked = await attested(context, sender.url);
      if (!checked || sender.tabId === undefined || !sender.url) {
        throw new ForbiddenSenderError('page context is only taken from a card of the connected amoCRM account');
      }
      const url = sender.url;
      await update((all) => {
        all[String(sender.tabId)] = { ...checked, url, at: now() };
      });
    },
    async entityForCall(sender, number, region, atClick) {
      if (atClick) return entityOfPageCall(await attested(atClick, sender.url), number, region);
      if (sender.tabId === undefined) return undefined;
      const stored = (await store.getValue())[String(sender.tabId)];
      if (!stored) return undefined;
      // The tab may have left the card since it reported: its address now must still show that record.
      const current = await attested(stored, sender.url);
      return entityOfPageCall(current, number, region);
    },
    forget(tabId) {
      return update((all) => {
        delete all[String(tabId)];
      });
    },
  };
}

function sameEntity(a: AmoPageEntity | undefined, b: AmoPageEntity | undefined): boolean {
  return a?.kind === b?.kind && a?.id === b?.id;
}
