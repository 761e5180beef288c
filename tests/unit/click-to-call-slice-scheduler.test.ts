import { describe, expect, it, vi } from 'vitest';
import { SliceScheduler, createYieldToHost, type SliceWork } from '@/lib/click-to-call/slice-scheduler';

/** A clock the work advances: each step "costs" `stepMs`. */
function fakeWork(items: number, stepMs: number, clock: { now: number }): SliceWork & { done: number[] } {
  const done: number[] = [];
  let next = 0;
  return {
    done,
    hasWork: () => next < items,
    step: () => {
      done.push(next++);
      clock.now += stepMs;
    },
  };
}

function manualYield(): { yieldToHost: () => Promise<void>; yields: () => number; release: () => Promise<void> } {
  let waiting: (() => void)[] = [];
  let count = 0;
  return {
    yieldToHost: () =>
      new Promise<void>((resolve) => {
        count++;
        waiting.push(resolve);
      }),
    yields: () => count,
    release: async () => {
      const batch = waiting;
      waiting = [];
      for (const resolve of batch) resolve();
      await flush();
    },
  };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('SliceScheduler', () => {
  it('cuts the work into slices of the budget and yields between them', async () => {
    const clock = { now: 0 };
    const work = fakeWork(20, 1, clock);
    const host = manualYield();
    const slices: [number, number][] = [];
    const scheduler = new SliceScheduler(work, {
      budgetMs: 6,
      now: () => clock.now,
      yieldToHost: host.yieldToHost,
      waitForIdle: () => Promise.resolve(),
      onSlice: (start, end) => slices.push([start, end]),
    });
    const idle = scheduler.whenIdle();
    await flush();
    expect(work.done).toHaveLength(6);
    expect(host.yields()).toBe(1);
    await host.release();
    expect(work.done).toHaveLength(12);
    await host.release();
    await host.release();
    await idle;
    expect(work.done).toHaveLength(20);
    expect(slices.map(([start, end]) => end - start)).toEqual([6, 6, 6, 2]);
    expect(host.yields()).toBe(3);
  });

  it('waits for an idle period unless asked urgently', async () => {
    const clock = { now: 0 };
    const work = fakeWork(3, 1, clock);
    let idle: (() => void) | undefined;
    const scheduler = new SliceScheduler(work, {
      now: () => clock.now,
      yieldToHost: () => Promise.resolve(),
      waitForIdle: () => new Promise<void>((resolve) => (idle = resolve)),
    });
    scheduler.request();
    await flush();
    expect(work.done).toEqual([]);
    scheduler.request(true);
    await flush();
    expect(work.done).toEqual([0, 1, 2]);
    idle?.();
  });

  it('resolves whenIdle at once when there is nothing to do', async () => {
    const scheduler = new SliceScheduler({ hasWork: () => false, step: () => undefined });
    await expect(scheduler.whenIdle()).resolves.toBeUndefined();
  });

  it('calls onDrain inside the last slice, and carries on after a failing step', async () => {
    const clock = { now: 0 };
    let left = 3;
    const errors: unknown[] = [];
    const events: string[] = [];
    const scheduler = new SliceScheduler(
      {
        hasWork: () => left > 0,
        step: () => {
          left--;
          if (left === 1) throw new Error('boom');
        },
      },
      {
        now: () => clock.now,
        yieldToHost: () => Promise.resolve(),
        waitForIdle: () => Promise.resolve(),
        onError: (error) => errors.push(error),
        onDrain: () => events.push('drain'),
        onSlice: () => events.push('slice'),
      },
    );
    await scheduler.whenIdle();
    expect(left).toBe(0);
    expect(errors).toHaveLength(1);
    expect(events).toEqual(['drain', 'slice']);
  });

  it('releases waiters and does no more work once stopped', async () => {
    const clock = { now: 0 };
    const work = fakeWork(100, 2, clock);
    const host = manualYield();
    const scheduler = new SliceScheduler(work, {
      budgetMs: 4,
      now: () => clock.now,
      yieldToHost: host.yieldToHost,
      waitForIdle: () => Promise.resolve(),
    });
    const idle = scheduler.whenIdle();
    await flush();
    scheduler.stop();
    await idle;
    await host.release();
    expect(work.done).toHaveLength(2);
    scheduler.request(true);
    await flush();
    expect(work.done).toHaveLength(2);
  });
});

describe('createYieldToHost', () => {
  it('uses scheduler.yield() when the browser has it', async () => {
    const yieldFn = vi.fn(() => Promise.resolve());
    await createYieldToHost({ scheduler: { yield: yieldFn } })();
    expect(yieldFn).toHaveBeenCalledOnce();
  });

  it('falls back to a MessageChannel message', async () => {
    const yieldToHost = createYieldToHost({ MessageChannel });
    await expect(yieldToHost()).resolves.toBeUndefined();
  });

  it('falls back to a timer without either', async () => {
    vi.useFakeTimers();
    try {
      const done = createYieldToHost({})();
      vi.advanceTimersByTime(0);
      await expect(done).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
