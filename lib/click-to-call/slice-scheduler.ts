/**
 * Runs queued work on the main thread in short slices, so a page with 10,000 rows never sees a long
 * task from us: the work is cut into small steps, and after each slice of `budgetMs` we give the
 * browser back the thread (input, rendering, the page's own tasks) before going on.
 *
 * ```
 *   request() ──► [wait for an idle period] ──► slice ──► yield ──► slice ──► … ──► no work: idle
 *   request(urgent) skips (or cuts short) the wait for idle
 * ```
 *
 * Slices are measured with the injected clock, so the scheduler is testable without a browser.
 */

/** The work a {@link SliceScheduler} drains. */
export interface SliceWork {
  hasWork(): boolean;
  /**
   * Does one small, bounded piece of the work (well under a millisecond). Must make progress: a
   * step that throws has still consumed its piece.
   */
  step(): void;
}

export interface SliceSchedulerOptions {
  /**
   * Milliseconds of work per slice before yielding, or a function asked at the start of each slice
   * (a larger budget while the user waits for something, a small one for background work).
   * @defaultValue 6
   */
  budgetMs?: number | (() => number);
  /** @defaultValue `performance.now` */
  now?: () => number;
  /** Gives the thread back to the browser for a moment. @defaultValue {@link createYieldToHost} */
  yieldToHost?: () => Promise<void>;
  /** Resolves in the browser's next idle period. @defaultValue {@link createWaitForIdle} */
  waitForIdle?: () => Promise<void>;
  /** Told the start and end of every slice (for instrumentation). */
  onSlice?: (start: number, end: number) => void;
  /** Called at the end of the slice that finished the work (still inside the slice). */
  onDrain?: () => void;
  /** Told when a step throws; the scheduler carries on with the next step. */
  onError?: (error: unknown) => void;
}

interface SchedulerGlobal {
  scheduler?: { yield?: () => Promise<void> };
  requestIdleCallback?: (callback: () => void, options?: { timeout: number }) => number;
}

/**
 * `scheduler.yield()` where the browser has it (Chrome 129+, Firefox 142+: the continuation keeps its
 * place ahead of other queued tasks), else a message on a MessageChannel (a task without the 4 ms
 * clamp of nested `setTimeout(0)`), else `setTimeout(0)`.
 * See https://developer.mozilla.org/docs/Web/API/Scheduler/yield.
 */
export function createYieldToHost(scope: object = globalThis): () => Promise<void> {
  const global = scope as SchedulerGlobal & { MessageChannel?: typeof MessageChannel };
  const scheduler = global.scheduler;
  if (scheduler && typeof scheduler.yield === 'function') return () => scheduler.yield!();
  if (typeof global.MessageChannel === 'function') {
    const channel = new global.MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** `requestIdleCallback` (with a timeout, so a busy page still gets scanned), else a short timer. */
export function createWaitForIdle(scope: object = globalThis, timeoutMs = 150): () => Promise<void> {
  const global = scope as SchedulerGlobal;
  const requestIdle = global.requestIdleCallback?.bind(global);
  if (requestIdle) return () => new Promise<void>((resolve) => requestIdle(() => resolve(), { timeout: timeoutMs }));
  return () => new Promise<void>((resolve) => setTimeout(resolve, 16));
}

/** Drains a {@link SliceWork} in time slices; see the module comment. */
export class SliceScheduler {
  readonly #work: SliceWork;
  readonly #budgetMs: () => number;
  readonly #now: () => number;
  readonly #yieldToHost: () => Promise<void>;
  readonly #waitForIdle: () => Promise<void>;
  readonly #onSlice: ((start: number, end: number) => void) | undefined;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #onDrain: (() => void) | undefined;
  #running = false;
  #stopped = false;
  #urgent = false;
  #wake: (() => void) | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(work: SliceWork, options: SliceSchedulerOptions = {}) {
    this.#work = work;
    const budget = options.budgetMs ?? 6;
    this.#budgetMs = typeof budget === 'function' ? budget : () => budget;
    this.#now = options.now ?? (() => performance.now());
    this.#yieldToHost = options.yieldToHost ?? createYieldToHost();
    this.#waitForIdle = options.waitForIdle ?? createWaitForIdle();
    this.#onSlice = options.onSlice;
    this.#onError = options.onError;
    this.#onDrain = options.onDrain;
  }

  /** True while a run is waiting for idle time or working. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Asks for the work to be drained: from the next idle period, or as soon as possible when `urgent`
   * (someone is waiting for the result, or the work is what the user sees).
   */
  request(urgent = false): void {
    if (this.#stopped) return;
    if (urgent) {
      this.#urgent = true;
      this.#wake?.();
    }
    if (!this.#running) void this.#run();
  }

  /** Resolves once there is no work left (at once when there is none). */
  whenIdle(): Promise<void> {
    if (!this.#running && !this.#work.hasWork()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
      this.request(true);
    });
  }

  /** Stops for good: no further slices; whoever waits in {@link whenIdle} is released. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
    this.#releaseWaiters();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      if (!this.#urgent) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          void this.#waitForIdle().then(resolve);
        });
        this.#wake = undefined;
      }
      while (!this.#stopped && this.#work.hasWork()) {
        const budget = this.#budgetMs();
        const start = this.#now();
        let end = start;
        do {
          try {
            this.#work.step();
          } catch (error) {
            this.#onError?.(error);
          }
          end = this.#now();
        } while (!this.#stopped && end - start < budget && this.#work.hasWork());
        if (!this.#stopped && !this.#work.hasWork() && this.#onDrain) {
          try {
            this.#onDrain();
          } catch (error) {
            this.#onError?.(error);
          }
          end = this.#now();
        }
        this.#onSlice?.(start, end);
        if (this.#work.hasWork()) await this.#yieldToHost();
      }
    } finally {
      this.#running = false;
      this.#urgent = false;
      if (this.#stopped || !this.#work.hasWork()) this.#releaseWaiters();
      // Work queued while the last slice was finishing (between hasWork() and here) gets its own run.
      else this.request(this.#idleWaiters.length > 0);
    }
  }

  #releaseWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
