/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay in milliseconds. @defaultValue 1000 */
  baseMs?: number;
  /** Longest delay in milliseconds. @defaultValue 60000 */
  capMs?: number;
  /** Source of randomness in [0, 1), injectable for tests. @defaultValue Math.random */
  random?: () => number;
}

/**
 * Capped exponential backoff with "equal jitter": the n-th delay is drawn from
 * [d/2, d] with d = min(cap, base·2ⁿ). Half of the delay is kept so retries never bunch at zero,
 * the other half is random so many clients that lost the same server do not return in lock-step
 * (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.capMs = options.capMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  /** How many delays have been handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The next delay in milliseconds; each call doubles the ceiling up to the cap. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
