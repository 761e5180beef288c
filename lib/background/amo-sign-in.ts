import type { AmoTokenPair } from '@/lib/crm/amocrm/amo-auth';
import { amoBaseUrl, amoOriginPattern, parseAmoHost } from '@/lib/crm/amocrm/amo-host';
import { AmoSignInError, exchangeAmoCode, type AmoCodeExchange } from '@/lib/crm/amocrm/amo-oauth-exchange';
import type { AmoSignInResult } from '@/lib/messaging/amo-sign-in-result';
import type { CrmConnectionTestResult } from '@/lib/messaging/crm-connection-test-result';
import type { AmoCrmConnection, CrmSettings } from '@/lib/settings/crm-settings';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm');

/** What the options page sends once amoCRM redirected with a code (already checked there). */
export interface AmoSignInRequest {
  host: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  code: string;
}

/** What {@link completeAmoSignIn} uses; injectable for tests. */
export interface AmoSignInDeps {
  hasOrigin(origin: string): Promise<boolean>;
  /** Trades the code for tokens (the real one: {@link exchangeAmoCode} on the account's host). */
  exchange(request: Omit<AmoCodeExchange, 'fetch' | 'now'>): Promise<AmoTokenPair>;
  loadCrm(): Promise<CrmSettings>;
  saveCrm(crm: CrmSettings): Promise<void>;
  /** "Test connection" with the stored connection. */
  test(connection: AmoCrmConnection): Promise<CrmConnectionTestResult>;
  /** The base URL of an account host. @defaultValue `https://{host}` */
  baseUrl?: (host: string) => string;
}

/**
 * The background half of "Sign in with amoCRM": the exchange happens here, never in a page a site
 * could reach, and the stored connection is written by the same context that refreshes it. The
 * code is traded on the account's host (the browser must let us reach it), the tokens are stored
 * as the CRM connection at once (the code is single-use: tokens not stored are a sign-in lost), and
 * "Test connection" runs with them. Every outcome is data the page words; nothing throws.
 */
export async function completeAmoSignIn(request: AmoSignInRequest, deps: AmoSignInDeps): Promise<AmoSignInResult> {
  const host = parseAmoHost(request.host);
  if (host === undefined || host !== request.host) return { ok: false, failure: 'wrong-host', detail: request.host };
  if (!(await deps.hasOrigin(amoOriginPattern(host)))) return { ok: false, failure: 'permission' };
  let pair: AmoTokenPair;
  try {
    pair = await deps.exchange({
      baseUrl: (deps.baseUrl ?? amoBaseUrl)(host),
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      redirectUri: request.redirectUri,
      code: request.code,
    });
  } catch (error) {
    if (error instanceof AmoSignInError) return { ok: false, failure: error.failure, detail: error.message };
    log.error('amoCRM sign-in failed', error);
    return { ok: false, failure: 'network', detail: error instanceof Error ? error.message : String(error) };
  }
  const connection: AmoCrmConnection = {
    host,
    auth: {
      type: 'oauth',
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      redirectUri: request.redirectUri,
      ...pair,
    },
  };
  await deps.saveCrm({ ...(await deps.loadCrm()), kind: 'amocrm', amocrm: connection });
  return { ok: true, test: await deps.test(connection) };
}

/** The production exchange: real `fetch` on the account's host. */
export const browserAmoExchange: AmoSignInDeps['exchange'] = (request) => exchangeAmoCode(request);
