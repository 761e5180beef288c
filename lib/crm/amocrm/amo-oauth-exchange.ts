import type { AmoTokenPair } from '@/lib/crm/amocrm/amo-auth';
import type { AmoSignInFailure } from '@/lib/messaging/amo-sign-in-result';
import { Exception } from '@/lib/util/exception';

/** The token endpoint did not give tokens for a code; `failure` says why in the sign-in's terms. */
export class AmoSignInError extends Exception {
  constructor(
    readonly failure: AmoSignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/** What {@link exchangeAmoCode} sends. */
export interface AmoCodeExchange {
  /** `https://{account host}`, or a test server's URL. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The redirect URI the code was issued for (amoCRM compares it with the integration's). */
  redirectUri: string;
  code: string;
  /** @defaultValue global `fetch` */
  fetch?: typeof fetch;
  /** @defaultValue `Date.now` */
  now?: () => number;
  /** @defaultValue 15000 */
  timeoutMs?: number;
}

interface TokenBody {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  hint?: unknown;
  detail?: unknown;
}

/**
 * Trades an authorization code for the first token pair: `POST {account}/oauth2/access_token` with
 * `grant_type=authorization_code` (RFC 6749 §4.1.3; amoCRM takes a JSON body). The code is
 * single-use and lives about 20 minutes. amoCRM's OAuth server answers 401 for a client it does not
 * know (wrong id or secret) and 400 for a code it does not take (expired, used, or issued for
 * another redirect URI), as RFC 6749 §5.2 has it.
 */
export async function exchangeAmoCode(request: AmoCodeExchange): Promise<AmoTokenPair> {
  const fetchImpl = request.fetch ?? ((input, init) => fetch(input, init));
  const url = new URL('/oauth2/access_token', request.baseUrl);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        client_id: request.clientId,
        client_secret: request.clientSecret,
        grant_type: 'authorization_code',
        code: request.code,
        redirect_uri: request.redirectUri,
      }),
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
    });
  } catch (error) {
    // fetch rejects only when no HTTP answer came: offline, DNS, TLS, refused, or our timeout.
    const reason = error instanceof Error ? error.message : String(error);
    throw new AmoSignInError('network', `amoCRM could not be reached (${url.host}): ${reason}`);
  }
  let body: TokenBody | undefined;
  try {
    body = (await response.json()) as TokenBody;
  } catch {
    body = undefined;
  }
  const said = [body?.detail, body?.hint].filter((part) => typeof part === 'string' && part !== '').join(': ');
  if (response.status === 401) throw new AmoSignInError('client-rejected', said || 'client authentication failed');
  if (response.status === 400) throw new AmoSignInError('code-rejected', said || 'the code was not accepted');
  if (response.status === 429) throw new AmoSignInError('rate-limited', `HTTP 429 ${said}`.trim());
  if (!response.ok) throw new AmoSignInError('server', `HTTP ${response.status} ${said}`.trim());
  if (typeof body?.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    throw new AmoSignInError('server', 'amoCRM answered without tokens');
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 86_400;
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: (request.now ?? Date.now)() + expiresIn * 1000,
  };
}
