/** What a CRM client waits on before each request. */
export interface RateLimiter {
  /** Resolves when one request may leave; callers are served in the order they asked. */
  take(): Promise<void>;
}

/** Options of {@link SlidingWindowLimiter}. */
export interface SlidingWindowLimiterOptions {
  /** Requests that may leave within any one window. */
  limit: number;
  /** The window's length (ms). */
  windowMs: number;
  /** The clock (ms); injectable for tests. @defaultValue `Date.now` */
  now?: () => number;
  /** Waits `ms`; injectable for tests. @defaultValue `setTimeout` */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * At most `limit` requests leave within any `windowMs`: the departures of the last window are
 * remembered, and a request waits until the oldest of them is a whole window old.
 *
 * Unlike a token bucket with a small burst, this lets the few requests of a screen pop (the
 * lookup, then the leads, companies and users of the cards) leave at once after a quiet spell —
 * the case that decides how fast the caller's card shows — while a long run of requests (an outbox
 * drain) still never exceeds the limit in any window.
 */
export class SlidingWindowLimiter implements RateLimiter {
  private readonly departures: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly options: SlidingWindowLimiterOptions;

  constructor(options: SlidingWindowLimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0)) {
      throw new RangeError(`a rate limit needs limit ≥ 1 and a window > 0 (got ${options.limit} per ${options.windowMs} ms)`);
    }
    this.options = options;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeOne());
    // A failed wait (it cannot fail today) must not stall the requests queued behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      const at = this.now();
      while (this.departures.length > 0 && at - (this.departures[0] as number) >= this.options.windowMs) {
        this.departures.shift();
      }
      if (this.departures.length < this.options.limit) {
        this.departures.push(at);
        return;
      }
      await this.sleep((this.departures[0] as number) + this.options.windowMs - at);
    }
  }
}
