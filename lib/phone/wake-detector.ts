export interface WakeDetectorOptions {
  /** Called once per wake-up with how much later than scheduled the timer ran. */
  onWake(lateByMs: number): void;
  /** How often the timer is scheduled. @defaultValue 5000 */
  intervalMs?: number;
  /**
   * How much later than scheduled a tick must run to count as a wake-up. Well above what a busy
   * or throttled page sees (Chrome aligns the timers of pages hidden for long to one minute), so
   * a false alarm is rare, and cheap: it only costs a connection check.
   * @defaultValue 30000
   */
  thresholdMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * Notices that the computer slept: a repeating timer that fires much later than it was
 * scheduled. Nothing else tells a page that the machine was suspended, and after a sleep the
 * WebSocket, the registration and the calls' media paths may all be dead without an error.
 */
export class WakeDetector {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;
  private readonly intervalMs: number;
  private readonly thresholdMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WakeDetectorOptions) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.thresholdMs = options.thresholdMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.last = this.now();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = this.now();
    const lateBy = now - this.last - this.intervalMs;
    this.last = now;
    if (lateBy > this.thresholdMs) this.options.onWake(lateBy);
  }
}
