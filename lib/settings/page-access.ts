/**
 * Host access for click-to-call, the one thing that lets the extension read the pages you open.
 *
 * It is not granted at install: the manifest lists these patterns as optional
 * (`optional_host_permissions` on MV3, `optional_permissions` on MV2), the options page asks for them
 * when the user turns click-to-call on for all sites, and the background registers the content script
 * only while they are granted (`lib/background/click-to-call-registration.ts`).
 */
export const ALL_SITES_ORIGINS: readonly string[] = ['http://*/*', 'https://*/*'];

/** The id of the dynamically registered click-to-call content script. */
export const CLICK_TO_CALL_SCRIPT_ID = 'click-to-call';

/** The content script's bundle, as WXT writes it (`entrypoints/click-to-call.content/`). */
export const CLICK_TO_CALL_SCRIPT_FILE = 'content-scripts/click-to-call.js';

/**
 * Whether a granted host pattern gives access to web pages (`http(s)://host/*`, `*://…`): what the
 * click-to-call script may be registered for. The CRM account's host (e.g. `https://*.amocrm.ru/*`)
 * is one too, so with the CRM connected click-to-call and the CRM page adapter run on its pages.
 */
export function isPagePattern(pattern: string): boolean {
  return /^(https?|\*):\/\/[^/]+\/\*$/.test(pattern);
}

/**
 * The match patterns of one site the user allows click-to-call on, both schemes (an intranet CRM is
 * often plain http): `crm.example.com` → `http://crm.example.com/*`, `https://crm.example.com/*`.
 */
export function sitePatterns(host: string): string[] {
  return [`http://${host}/*`, `https://${host}/*`];
}

/** The host part of a page pattern: `https://*.amocrm.ru/*` → `*.amocrm.ru`. */
export function hostOfPattern(pattern: string): string {
  return pattern.replace(/^[^:]+:\/\//, '').replace(/\/\*$/, '');
}

const HOST_LABEL = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

/**
 * Reads a site the user typed to allow click-to-call on: a host (`crm.example.com`), a host with
 * every subdomain (`*.example.com`), an IPv4 address, or an address to copy from the browser
 * (`https://crm.example.com:8443/deals?id=1`; scheme, port and path are dropped, the patterns cover
 * both schemes and every port). `undefined` when it is none of these.
 */
export function parseSite(input: string): string | undefined {
  let text = input.trim().toLowerCase();
  if (text.length === 0 || text.length > 253) return undefined;
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  text = text.replace(/[/?#].*$/, '').replace(/:\d{1,5}$/, '').replace(/\.$/, '');
  if (IPV4.test(text)) return text;
  if (!HOST_LABEL.test(text)) return undefined;
  // A bare "*.com" would be a whole top-level domain: not a site.
  if (text.startsWith('*.') && !text.slice(2).includes('.')) return undefined;
  return text;
}
