import { CrmError } from '@/lib/crm/crm-adapter';

/** Without a Retry-After header, a 429 is retried after this long (the limit is per second). */
const DEFAULT_RETRY_AFTER_MS = 1000;

/** Reads `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3) into milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The human part of an amoCRM problem+json body: its detail and each validation error's path. */
export function problemDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const problem = body as { detail?: unknown; title?: unknown; 'validation-errors'?: unknown };
  const details: string[] = [];
  if (Array.isArray(problem['validation-errors'])) {
    for (const request of problem['validation-errors'] as Array<{ errors?: Array<{ path?: string; detail?: string }> }>) {
      for (const error of request.errors ?? []) details.push(`${error.path ?? ''}: ${error.detail ?? ''}`.trim());
    }
  }
  const head = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : undefined;
  if (head === undefined && details.length === 0) return undefined;
  return [head, ...details].filter(Boolean).join('; ');
}

/**
 * The {@link CrmError} for an unsuccessful amoCRM answer: 401 `auth`, 403 `forbidden` (rights, or an
 * address amoCRM blocked after repeated limit abuse), 404 `not-found`, 429 `rate-limited` (after
 * Retry-After, or 1 s), 5xx `server`, other 4xx `validation`.
 */
export function crmErrorForStatus(status: number, body: unknown, retryAfter: string | null): CrmError {
  const detail = problemDetail(body);
  const say = (what: string): string => (detail ? `${what}: ${detail}` : what);
  if (status === 401) return new CrmError('auth', say('amoCRM did not accept the token'), status);
  if (status === 403) return new CrmError('forbidden', say('amoCRM refused access'), status);
  if (status === 404) return new CrmError('not-found', say('Not found in amoCRM'), status);
  if (status === 429) {
    return new CrmError('rate-limited', say('Too many requests to amoCRM'), status, retryAfterMs(retryAfter) ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (status >= 500) return new CrmError('server', say(`amoCRM answered ${status}`), status, retryAfterMs(retryAfter));
  return new CrmError('validation', say(`amoCRM refused the request (${status})`), status);
}
