/**
 * The pending auto-answers of ringing calls: one timer per call, the time it will fire (for the
 * panel's countdown), and cancellation when the call stops ringing or the agent says no.
 *
 * It only keeps time; whether the call may still be answered when the timer fires is the
 * engine's decision (`fire`).
 */
export class AutoAnswerScheduler {
  private readonly pending = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly fire: (callId: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers `callId` after `delayMs` (replacing an earlier schedule of it). */
  schedule(callId: string, delayMs: number): void {
    this.cancel(callId);
    const timer = setTimeout(() => {
      this.pending.delete(callId);
      this.fire(callId);
    }, delayMs);
    this.pending.set(callId, { at: this.now() + delayMs, timer });
  }

  /** Drops the auto-answer of `callId`; whether there was one. */
  cancel(callId: string): boolean {
    const entry = this.pending.get(callId);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.pending.delete(callId);
    return true;
  }

  /** When `callId` will be answered (epoch ms), if it will. */
  at(callId: string): number | undefined {
    return this.pending.get(callId)?.at;
  }

  /** Drops every pending auto-answer (the engine shuts down). */
  cancelAll(): void {
    for (const callId of [...this.pending.keys()]) this.cancel(callId);
  }
}
