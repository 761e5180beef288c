import { SlidingWindowLimiter } from '@/lib/crm/sliding-window-limiter';

/**
 * amoCRM allows 7 requests per second per account. Six per 1.1 s leaves room for network jitter
 * between a request leaving here and arriving there (two requests 1.1 s apart here cannot land in
 * the same second there unless the network delays them by more than 100 ms apart).
 *
 * The limit is per account, and MV3 may run several extension contexts at once (service worker,
 * offscreen document, pages); a limiter only counts its own context. The background is the only
 * context that calls the CRM — it owns the adapters and their tokens — so one limiter there covers all.
 */
export const AMO_REQUESTS_PER_WINDOW = 6;
export const AMO_WINDOW_MS = 1100;

/** The limiter all amoCRM requests of the background share. */
export function createAmoRateLimiter(): SlidingWindowLimiter {
  return new SlidingWindowLimiter({ limit: AMO_REQUESTS_PER_WINDOW, windowMs: AMO_WINDOW_MS });
}
