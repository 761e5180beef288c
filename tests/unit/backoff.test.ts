import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Backoff } from '@/lib/phone/backoff';

beforeEach(() => {
  fakeBrowser.reset();
});

/** Just below 1: `random()` returns values in [0, 1). */
const ALMOST_ONE = 1 - Number.EPSILON;

/** The ceiling d of the n-th delay (n from 0): min(cap, base·2ⁿ). */
const ceiling = (n: number, baseMs: number, capMs: number): number => Math.min(capMs, baseMs * 2 ** n);

function draws(backoff: Backoff, count: number): number[] {
  return Array.from({ length: count }, () => backoff.next());
}

describe('Backoff', () => {
  it.each([
    { random: 0, expected: [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000] },
    { random: ALMOST_ONE, expected: [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000] },
    { random: 0.5, expected: [750, 1500, 3000, 6000, 12_000, 24_000, 45_000, 45_000, 45_000] },
  ])('with the defaults (1 s base, 60 s cap) and random() = $random, waits $expected', ({ random, expected }) => {
    expect(draws(new Backoff({ random: () => random }), expected.length)).toEqual(expected);
  });

  it.each([
    { baseMs: 1000, capMs: 60_000 },
    { baseMs: 250, capMs: 5000 },
    { baseMs: 3000, capMs: 10_000 },
    { baseMs: 100, capMs: 100 },
  ])('keeps the n-th delay within [d/2, d], d = min($capMs, $baseMs·2ⁿ)', ({ baseMs, capMs }) => {
    const low = new Backoff({ baseMs, capMs, random: () => 0 });
    const high = new Backoff({ baseMs, capMs, random: () => ALMOST_ONE });
    for (let n = 0; n < 12; n += 1) {
      const d = ceiling(n, baseMs, capMs);
      expect(low.next(), `attempt ${n}, random 0`).toBe(Math.round(d / 2));
      expect(high.next(), `attempt ${n}, random ≈ 1`).toBe(d);
    }
  });

  it('never exceeds the cap, not even after so many attempts that 2ⁿ overflows', () => {
    const backoff = new Backoff({ baseMs: 1000, capMs: 60_000, random: () => ALMOST_ONE });
    const delays = draws(backoff, 1100);
    expect(Math.max(...delays)).toBe(60_000);
    expect(delays.every((d) => Number.isFinite(d) && d >= 500)).toBe(true);
    expect(delays.at(-1)).toBe(60_000);
  });

  it('doubles the ceiling per attempt until the cap, then stays there', () => {
    const backoff = new Backoff({ baseMs: 1000, capMs: 5000, random: () => ALMOST_ONE });
    expect(draws(backoff, 6)).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('counts the delays handed out', () => {
    const backoff = new Backoff({ random: () => 0 });
    expect(backoff.attempts).toBe(0);
    backoff.next();
    expect(backoff.attempts).toBe(1);
    draws(backoff, 4);
    expect(backoff.attempts).toBe(5);
  });

  it('starts over from the base delay after reset()', () => {
    const backoff = new Backoff({ baseMs: 1000, random: () => 0 });
    draws(backoff, 5);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(500);
    expect(backoff.next()).toBe(1000);
    expect(backoff.attempts).toBe(2);
  });

  it('uses Math.random by default and stays within the first window', () => {
    for (let i = 0; i < 200; i += 1) {
      const delay = new Backoff().next();
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('spreads clients over the jitter window instead of sending them back in lock-step', () => {
    const delays = Array.from({ length: 1000 }, () => {
      const backoff = new Backoff({ baseMs: 1000, capMs: 60_000 });
      draws(backoff, 10); // past the cap: d = 60 s
      return backoff.next();
    });
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
    // Uniform over [30 s, 60 s]: these bounds fail by chance with probability far below 1e-20.
    expect(new Set(delays).size).toBeGreaterThan(500);
    expect(Math.min(...delays)).toBeLessThan(33_000);
    expect(Math.max(...delays)).toBeGreaterThan(57_000);
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    expect(mean).toBeGreaterThan(43_000);
    expect(mean).toBeLessThan(47_000);
  });
});
