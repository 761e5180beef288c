import type { AmoAuth, AmoTokenPair } from '@/lib/crm/amocrm/amo-auth';
import { amoBaseUrl } from '@/lib/crm/amocrm/amo-host';
import { AmoHttpClient } from '@/lib/crm/amocrm/amo-http-client';
import { AmoCrmAdapter } from '@/lib/crm/amocrm/amocrm-adapter';
import { createAmoRateLimiter } from '@/lib/crm/amocrm/amo-rate-limit';
import type { RateLimiter } from '@/lib/crm/sliding-window-limiter';

/** What {@link createAmoCrmAdapter} needs. */
export interface AmoConnection {
  /** The account host (`romashka.amocrm.ru`), or a full base URL (a test server). */
  host: string;
  auth: AmoAuth;
  region: string;
  onTokens?: (tokens: AmoTokenPair) => Promise<void> | void;
  /** One limiter per account, shared by every adapter the background makes for it. */
  limiter?: RateLimiter;
  fetch?: typeof fetch;
}

/** The amoCRM adapter for one connection, with its HTTP client and rate limiter. */
export function createAmoCrmAdapter(connection: AmoConnection): AmoCrmAdapter {
  const baseUrl = /^https?:\/\//.test(connection.host) ? connection.host : amoBaseUrl(connection.host);
  const client = new AmoHttpClient({
    baseUrl,
    auth: connection.auth,
    limiter: connection.limiter ?? createAmoRateLimiter(),
    onTokens: connection.onTokens,
    fetch: connection.fetch,
  });
  return new AmoCrmAdapter({ client, webUrl: baseUrl, region: connection.region });
}
