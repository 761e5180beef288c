import { parseAmoHost } from '@/lib/crm/amocrm/amo-host';
import type { AmoSignInFailure } from '@/lib/messaging/amo-sign-in-result';

/**
 * The browser half of amoCRM's OAuth 2.0 authorization-code flow (RFC 6749 §4.1): the consent
 * page's address and the reading of the redirect it comes back with. amoCRM's consent page is on
 * the product's main site, not on the account, and the account the user picked there comes back in
 * `referer`; the code is then exchanged on that account's own host
 * (`amo-oauth-exchange.ts`).
 */

/** The consent page of each product: amoCRM in Russia, amoCRM international, Kommo. */
const CONSENT_PAGES: Record<string, string> = {
  'amocrm.ru': 'https://www.amocrm.ru/oauth',
  'amocrm.com': 'https://www.amocrm.com/oauth',
  'kommo.com': 'https://www.kommo.com/oauth',
};

/** Whether the account lives on Kommo (the button then says "Sign in with Kommo"). */
export function isKommoHost(host: string): boolean {
  return host.endsWith('.kommo.com');
}

/**
 * The consent page for an account host: `https://www.amocrm.ru/oauth?client_id=…&state=…&mode=post_message`.
 * `post_message` makes amoCRM redirect the window it was opened in (the browser's sign-in window,
 * whose navigation to the redirect URI ends the flow), where `popup` would redirect its opener.
 * amoCRM takes no `redirect_uri` here: it redirects to the one registered in the integration.
 */
export function amoConsentUrl(options: { host: string; clientId: string; state: string }): string {
  const domain = options.host.split('.').slice(-2).join('.');
  const url = new URL(CONSENT_PAGES[domain] ?? CONSENT_PAGES['amocrm.ru']!);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('state', options.state);
  url.searchParams.set('mode', 'post_message');
  return url.href;
}

/** A fresh `state` (RFC 6749 §10.12): 128 random bits, hex, so a forged redirect cannot guess it. */
export function newOAuthState(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  return [...random(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the redirect says: a code for an account host, or why there is none to use. */
export type AmoRedirectResult =
  | { ok: true; code: string; host: string }
  | { ok: false; failure: AmoSignInFailure; detail?: string };

/** What {@link parseAmoRedirect} checks the redirect against. */
export interface AmoRedirectExpectation {
  /** The `state` sent to the consent page. */
  state: string;
  /** The account host the user entered (and gave host access to). */
  host: string;
  /** The redirect URI registered in the integration (`identity.getRedirectURL()`). */
  redirectUri: string;
}

/**
 * Reads the URL amoCRM redirected the sign-in window to:
 * `{redirect_uri}?code=…&state=…&referer=company.amocrm.ru&platform=1&client_id=…`, or `error=…`
 * when the user refused. Checked in this order: it is our redirect URI; the `state` is ours (a
 * redirect we did not ask for is never used, whatever else it says); an error; a code; `referer` is
 * an amoCRM/Kommo account (the code, with the client secret, is sent to that host, so anything else
 * must never be trusted); and it is the account the user entered, the only one the browser let us
 * reach.
 */
export function parseAmoRedirect(redirect: string, expected: AmoRedirectExpectation): AmoRedirectResult {
  let url: URL;
  let base: URL;
  try {
    url = new URL(redirect);
    base = new URL(expected.redirectUri);
  } catch {
    return { ok: false, failure: 'no-code' };
  }
  if (url.origin !== base.origin || url.pathname !== base.pathname) return { ok: false, failure: 'no-code' };
  const params = url.searchParams;
  const state = params.get('state');
  const error = params.get('error');
  // amoCRM may leave `state` out of a refusal; one that is there must still be ours.
  if (state !== expected.state && !(error !== null && state === null)) return { ok: false, failure: 'state-mismatch' };
  if (error !== null) {
    if (error === 'access_denied') return { ok: false, failure: 'access-denied' };
    const description = params.get('error_description');
    return { ok: false, failure: 'refused', detail: description ? `${error}: ${description}` : error };
  }
  const code = params.get('code');
  if (code === null || code === '') return { ok: false, failure: 'no-code' };
  const referer = params.get('referer') ?? '';
  const host = parseAmoHost(referer);
  if (host === undefined) return { ok: false, failure: 'wrong-host', detail: referer };
  if (host !== expected.host) return { ok: false, failure: 'wrong-account', detail: host };
  return { ok: true, code, host };
}
