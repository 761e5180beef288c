import { describe, expect, it } from 'vitest';
import { AMO_REQUESTS_PER_WINDOW, AMO_WINDOW_MS } from '@/lib/crm/amocrm/amo-rate-limit';
import { SlidingWindowLimiter } from '@/lib/crm/sliding-window-limiter';
import { seededRandom } from '../fixtures/seeded-random';

/** A limiter on a hand-driven clock: `sleep` advances time instead of waiting. */
function manualLimiter(limit: number, windowMs: number) {
  const clock = { now: 0 };
  const taken: number[] = [];
  const sleeps: number[] = [];
  const limiter = new SlidingWindowLimiter({
    limit,
    windowMs,
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
  });
  const take = async (label?: number): Promise<number | undefined> => {
    await limiter.take();
    taken.push(clock.now);
    return label;
  };
  return { take, taken, sleeps, clock };
}

/** The most departures inside any window of `windowMs` starting at a departure. */
function worstWindow(times: number[], windowMs: number): number {
  return Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length));
}

describe('SlidingWindowLimiter', () => {
  it('lets `limit` requests go at once after a quiet spell, then each waits for the oldest to leave the window', async () => {
    const { take, taken } = manualLimiter(6, 1100);
    await Promise.all(Array.from({ length: 8 }, () => take()));
    expect(taken).toEqual([0, 0, 0, 0, 0, 0, 1100, 1100]);
  });

  it('serves callers in the order they asked', async () => {
    const { take } = manualLimiter(2, 1000);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 7 }, (_, i) => take(i).then((label) => order.push(label as number))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('with the amoCRM figures, never more than 6 requests in any 1.1 s, and so never 7 in any second, for random arrivals', async () => {
    const random = seededRandom(20261127);
    for (let round = 0; round < 20; round += 1) {
      const { take, taken, clock } = manualLimiter(AMO_REQUESTS_PER_WINDOW, AMO_WINDOW_MS);
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 60; i += 1) {
        // Bursts and pauses: sometimes many at once, sometimes a gap longer than the window.
        clock.now += random() < 0.7 ? 0 : Math.floor(random() * 1500);
        pending.push(take());
      }
      await Promise.all(pending);
      expect(taken).toHaveLength(60);
      expect(worstWindow(taken, AMO_WINDOW_MS)).toBeLessThanOrEqual(6);
      expect(worstWindow(taken, 1000)).toBeLessThan(7);
    }
  });

  it('an idle limiter lets a new burst go at once', async () => {
    const { take, taken, clock } = manualLimiter(6, 1100);
    await Promise.all(Array.from({ length: 6 }, () => take()));
    clock.now += 1100;
    await Promise.all(Array.from({ length: 4 }, () => take()));
    expect(taken.slice(6)).toEqual([1100, 1100, 1100, 1100]);
  });

  it('refuses a limit or window that cannot work', () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 6, windowMs: 0 })).toThrow(RangeError);
  });
});
