import type { RateLimiter } from '@/lib/crm/sliding-window-limiter';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Requests that may go at once after a quiet spell. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** The clock (ms); injectable for tests. @defaultValue `Date.now` */
  now?: () => number;
  /** Waits `ms`; injectable for tests. @defaultValue `setTimeout` */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A client-side token bucket that keeps requests under a CRM's per-second limit, so the CRM never
 * has to answer 429. Over any one-second window at most `capacity + refillPerSecond` requests leave,
 * which is why amoCRM's 7 requests/second is met with capacity 2 and 4.5 per second (6.5, leaving
 * room for network jitter between leaving here and arriving there). amoCRM itself now uses a
 * {@link SlidingWindowLimiter} (`amo-rate-limit.ts`), which lets a screen pop's few requests go at
 * once; the bucket suits CRMs whose limit is a leaky bucket (Bitrix24: a burst, then 2 per second).
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = options.capacity;
    this.updatedAt = this.now();
  }

  /** Resolves when one request may leave; callers are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeOne());
    this.queue = turn;
    return turn;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.options.refillPerSecond) * 1000));
    }
  }

  private refill(): void {
    const at = this.now();
    const earned = ((at - this.updatedAt) / 1000) * this.options.refillPerSecond;
    this.tokens = Math.min(this.options.capacity, this.tokens + earned);
    this.updatedAt = at;
  }
}
