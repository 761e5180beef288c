import { browser } from '#imports';
import type { AmoTokenPair } from '@/lib/crm/amocrm/amo-auth';
import { amoOriginPattern } from '@/lib/crm/amocrm/amo-host';
import type { AmoConnectionInfo } from '@/lib/crm/amocrm/amocrm-adapter';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { CrmError } from '@/lib/crm/crm-adapter';
import type { CrmConnectionTestResult } from '@/lib/messaging/crm-connection-test-result';
import type { AmoCrmConnection, CrmSettings } from '@/lib/settings/crm-settings';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm');

/** What {@link testCrmConnection} uses; injectable for tests. */
export interface CrmConnectionTestDeps {
  /** Whether the browser lets the extension call `origin` (the optional host permission). */
  hasOrigin(origin: string): Promise<boolean>;
  /** Asks the account who the connection acts as. */
  connectionInfo(connection: AmoCrmConnection): Promise<AmoConnectionInfo>;
}

/**
 * "Test connection" of the options page's CRM section, in the background (the only context that
 * calls the CRM): checks the host permission the page asked for, then calls `/account` + `/users`.
 * Every outcome is data the page words; nothing throws.
 */
export async function testCrmConnection(
  connection: AmoCrmConnection,
  deps: CrmConnectionTestDeps,
): Promise<CrmConnectionTestResult> {
  if (!(await deps.hasOrigin(amoOriginPattern(connection.host)))) return { ok: false, failure: 'permission' };
  try {
    const info = await deps.connectionInfo(connection);
    return { ok: true, accountName: info.accountName, userName: info.userName };
  } catch (error) {
    if (error instanceof CrmError) return { ok: false, failure: error.kind, detail: error.message };
    log.error('CRM connection test failed', error);
    return { ok: false, failure: 'network', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The production dependencies: the browser's permissions and a real adapter. */
export function browserCrmConnectionTestDeps(options: {
  region: () => Promise<string>;
  /** Where a refreshed OAuth pair goes (the stored connection, when it is the same account). */
  loadCrm: () => Promise<CrmSettings>;
  saveCrm: (crm: CrmSettings) => Promise<void>;
}): CrmConnectionTestDeps {
  return {
    hasOrigin: (origin) => browser.permissions.contains({ origins: [origin] }),
    connectionInfo: async (connection) => {
      const adapter = createAmoCrmAdapter({
        host: connection.host,
        auth: connection.auth,
        region: await options.region(),
        onTokens: (pair) => persistTokens(connection.host, pair, options),
      });
      return adapter.connectionInfo();
    },
  };
}

/** A refresh token is single-use: the new pair must be stored, or the next refresh fails. */
export async function persistTokens(
  host: string,
  pair: AmoTokenPair,
  store: { loadCrm: () => Promise<CrmSettings>; saveCrm: (crm: CrmSettings) => Promise<void> },
): Promise<void> {
  const crm = await store.loadCrm();
  const stored = crm.amocrm;
  if (stored?.host !== host || stored.auth.type !== 'oauth') return;
  await store.saveCrm({ ...crm, amocrm: { ...stored, auth: { ...stored.auth, ...pair } } });
}
