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
 * room for network jitter between leaving here and arriving there).
 *
 * The limit is per account, and MV3 may run several extension contexts at once (service worker,
 * offscreen document, pages); a bucket only counts its own context. The background is the only
 * context that calls the CRM — it owns the adapters and their tokens — so one bucket there covers all.
 */
export class TokenBucket {
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

/** amoCRM's limit is 7 requests/second per account; this bucket stays at 6.5 in any second. */
export function createAmoRateLimiter(): TokenBucket {
  return new TokenBucket({ capacity: 2, refillPerSecond: 4.5 });
}
