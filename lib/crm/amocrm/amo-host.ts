/** The domains amoCRM and Kommo accounts live on (`{subdomain}.amocrm.ru`, …). */
export const AMO_DOMAINS = ['amocrm.ru', 'amocrm.com', 'kommo.com'] as const;

/** Match patterns for the optional host permissions an amoCRM connection asks for. */
export const AMO_HOST_PERMISSIONS = AMO_DOMAINS.map((domain) => `https://*.${domain}/*`);

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads what the user typed as the account's address (`romashka.amocrm.ru`,
 * `https://romashka.kommo.com/leads/`) into its bare host, or `undefined` when it is not an account
 * on one of {@link AMO_DOMAINS} — the API is only ever called on the account's own host.
 */
export function parseAmoHost(input: string): string | undefined {
  const text = input.trim().toLowerCase();
  if (text.length === 0) return undefined;
  let host: string;
  try {
    const url = new URL(/^[a-z]+:\/\//.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'https:' || url.port !== '' || url.username !== '') return undefined;
    host = url.hostname;
  } catch {
    return undefined;
  }
  const domain = AMO_DOMAINS.find((candidate) => host.endsWith(`.${candidate}`));
  if (!domain) return undefined;
  const subdomain = host.slice(0, -(domain.length + 1));
  return SUBDOMAIN.test(subdomain) ? host : undefined;
}

/** The API base URL of an account host (`https://romashka.amocrm.ru`). */
export function amoBaseUrl(host: string): string {
  return `https://${host}`;
}

/** The match pattern of one account host, covered by the optional `https://*.amocrm.ru/*` etc. */
export function amoOriginPattern(host: string): string {
  return `https://${host}/*`;
}
