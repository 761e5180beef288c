import type { CrmAdapter } from '@/lib/crm/crm-adapter';
import { createLocalCrmAdapter } from '@/lib/crm/local/local-crm-adapter';
import type { AppDb } from '@/lib/db/app-db';

/**
 * Which CRM the background talks to. Today that is always the local contacts; a connected CRM
 * (amoCRM) is chosen here, from its stored connection, before falling back to them.
 */
export function crmAdapterFor(db: AppDb, region: () => Promise<string>): () => Promise<CrmAdapter> {
  const local = createLocalCrmAdapter(db, region);
  return async () => local;
}
