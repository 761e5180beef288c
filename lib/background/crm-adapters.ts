import { persistTokens } from '@/lib/background/crm-connection-test';
import { amoOriginPattern } from '@/lib/crm/amocrm/amo-host';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { createAmoRateLimiter } from '@/lib/crm/amocrm/amo-rate-limit';
import type { CrmAdapter } from '@/lib/crm/crm-adapter';
import { createLocalCrmAdapter } from '@/lib/crm/local/local-crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { CrmSettings } from '@/lib/settings/crm-settings';

/** Where the connected CRM comes from: the stored connection and the browser's host permission. */
export interface ConnectedCrmSource {
  loadCrm(): Promise<CrmSettings>;
  saveCrm(crm: CrmSettings): Promise<void>;
  /** Whether the extension may call `origin` (the optional host permission granted on connect). */
  hasOrigin(origin: string): Promise<boolean>;
}

/**
 * Which CRM the background talks to: the connected amoCRM account when there is one and its host
 * permission is granted, else the local contacts. The amoCRM adapter is kept while its connection
 * stays the same, and every adapter shares one rate limiter: the background is the only context
 * that calls the CRM, so one bucket keeps the account under its 7 requests a second.
 */
export function crmAdapterFor(
  db: AppDb,
  region: () => Promise<string>,
  connected?: ConnectedCrmSource,
): () => Promise<CrmAdapter> {
  const local = createLocalCrmAdapter(db, region);
  const limiter = createAmoRateLimiter();
  let current: { key: string; adapter: CrmAdapter } | undefined;
  return async () => {
    if (!connected) return local;
    const crm = await connected.loadCrm();
    const amo = crm.kind === 'amocrm' ? crm.amocrm : undefined;
    if (!amo || !(await connected.hasOrigin(amoOriginPattern(amo.host)))) return local;
    const key = JSON.stringify([amo.host, amo.auth]);
    if (current?.key !== key) {
      const adapter = createAmoCrmAdapter({
        host: amo.host,
        auth: amo.auth,
        region: await region(),
        limiter,
        onTokens: (pair) => persistTokens(amo.host, pair, connected),
      });
      current = { key, adapter };
    }
    return current.adapter;
  };
}
