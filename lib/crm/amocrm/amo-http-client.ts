import { CrmError } from '@/lib/crm/crm-adapter';
import type { AmoAuth, AmoTokenPair } from '@/lib/crm/amocrm/amo-auth';
import { crmErrorForStatus } from '@/lib/crm/amocrm/amo-status-error';
import type { RateLimiter } from '@/lib/crm/sliding-window-limiter';

/** Refresh an OAuth access token this long before amoCRM would reject it. */
const REFRESH_MARGIN_MS = 60_000;

/** Options of {@link AmoHttpClient}. */
export interface AmoHttpClientOptions {
  /** `https://{subdomain}.amocrm.ru` (or `.amocrm.com`, `.kommo.com`), or a test server's URL. */
  baseUrl: string;
  auth: AmoAuth;
  limiter: RateLimiter;
  /** Stores a refreshed OAuth pair (the refresh token is single-use: losing it loses the connection). */
  onTokens?: (tokens: AmoTokenPair) => Promise<void> | void;
  /** @defaultValue global `fetch` */
  fetch?: typeof fetch;
  /** A request without an answer after this long fails as `network`. @defaultValue 15000 */
  timeoutMs?: number;
  /** @defaultValue `Date.now` */
  now?: () => number;
}

/** Query parameters; repeated keys (`filter[id][]`) as pairs. */
export type AmoQuery = Array<[string, string | number]>;

/** What {@link AmoHttpClient.request} sends. */
export interface AmoRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: AmoQuery;
  body?: unknown;
}

/**
 * amoCRM API v4 over `fetch`: every request waits for the rate limiter, carries the bearer token and
 * has its status read into data or a {@link CrmError}. 204 (amoCRM's "nothing found") resolves to
 * `undefined`. A 401 with OAuth refreshes the token once and repeats the request once; a second 401,
 * or a 401 with a long-lived token, is `auth`.
 */
export class AmoHttpClient {
  private auth: AmoAuth;
  private refreshing: Promise<void> | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: AmoHttpClientOptions) {
    this.auth = options.auth;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
  }

  /** Sends one API request; resolves to the parsed body, or `undefined` for 204. */
  async request<T>(request: AmoRequest): Promise<T | undefined> {
    if (this.auth.type === 'oauth' && this.auth.expiresAt - REFRESH_MARGIN_MS <= this.now()) await this.refresh();
    const first = await this.send(request);
    if (first.status === 401 && this.auth.type === 'oauth') {
      await this.refresh();
      return this.read<T>(await this.send(request));
    }
    return this.read<T>(first);
  }

  private async send(request: AmoRequest): Promise<Response> {
    const url = new URL(request.path, this.options.baseUrl);
    for (const [key, value] of request.query ?? []) url.searchParams.append(key, String(value));
    const headers: Record<string, string> = { Accept: 'application/hal+json, application/json' };
    headers.Authorization = `Bearer ${this.auth.type === 'token' ? this.auth.token : this.auth.accessToken}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return this.fetchLimited(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  }

  private async fetchLimited(url: URL, init: RequestInit): Promise<Response> {
    await this.options.limiter.take();
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000) });
    } catch (error) {
      // fetch rejects only when no HTTP answer came: offline, DNS, TLS, refused, or our timeout.
      const reason = error instanceof Error ? error.message : String(error);
      throw new CrmError('network', `amoCRM could not be reached (${url.host}): ${reason}`);
    }
  }

  private async read<T>(response: Response): Promise<T | undefined> {
    if (response.status === 204) return undefined;
    const text = await response.text();
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) throw crmErrorForStatus(response.status, body, response.headers.get('Retry-After'));
    return body as T | undefined;
  }

  /** One refresh at a time: requests that hit 401 together share it (the refresh token is single-use). */
  private refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const auth = this.auth;
    if (auth.type !== 'oauth') throw new CrmError('auth', 'amoCRM did not accept the token', 401);
    const response = await this.fetchLimited(new URL('/oauth2/access_token', this.options.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        client_id: auth.clientId,
        client_secret: auth.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: auth.refreshToken,
        redirect_uri: auth.redirectUri,
      }),
    });
    if (response.status === 400 || response.status === 401) {
      throw new CrmError('auth', 'amoCRM did not renew the access: connect the account again', 401);
    }
    const body = await this.read<{ access_token?: string; refresh_token?: string; expires_in?: number }>(response);
    if (!body?.access_token || !body.refresh_token) {
      throw new CrmError('auth', 'amoCRM answered the token renewal without tokens', response.status);
    }
    const pair: AmoTokenPair = {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: this.now() + (body.expires_in ?? 86_400) * 1000,
    };
    this.auth = { ...auth, ...pair };
    await this.options.onTokens?.(pair);
  }
}
