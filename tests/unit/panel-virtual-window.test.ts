import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { nearEnd, offsetsOf, virtualWindow, windowSegments, type VirtualWindow } from '@/lib/panel/virtual-window';

beforeEach(() => {
  fakeBrowser.reset();
});

/** 100 items of 50 px: 5,000 px in all. */
const EVEN = Array.from({ length: 100 }, () => 50);
/** A day title (20 px) before every four rows (100 px): 420 px per day, 10 days. */
const DAYS = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 20 : 100));

describe('virtualWindow', () => {
  it.each<[string, number[], number, number, number, Omit<VirtualWindow, 'total'>]>([
    ['an empty list', [], 0, 500, 2, { first: 0, last: -1, before: 0, after: 0 }],
    ['the top, no overscan', EVEN, 0, 500, 0, { first: 0, last: 9, before: 0, after: 4_500 }],
    ['the top, overscan 3', EVEN, 0, 500, 3, { first: 0, last: 12, before: 0, after: 4_350 }],
    ['mid-item scroll', EVEN, 1_025, 500, 0, { first: 20, last: 30, before: 1_000, after: 3_450 }],
    ['mid-item scroll, overscan 2', EVEN, 1_025, 500, 2, { first: 18, last: 32, before: 900, after: 3_350 }],
    ['the bottom', EVEN, 4_500, 500, 2, { first: 88, last: 99, before: 4_400, after: 0 }],
    ['past the end (the list shrank)', EVEN, 9_000, 500, 0, { first: 90, last: 99, before: 4_500, after: 0 }],
    ['a negative scroll (rubber band)', EVEN, -40, 500, 0, { first: 0, last: 9, before: 0, after: 4_500 }],
    ['a list shorter than the viewport', [30, 40, 50], 0, 500, 1, { first: 0, last: 2, before: 0, after: 0 }],
    ['no viewport yet', EVEN, 0, 0, 1, { first: 0, last: 1, before: 0, after: 4_900 }],
    // 440–740 px: rows 6, 7 and 8 of the second day; row 9 starts exactly at the bottom edge.
    ['day titles and rows', DAYS, 440, 300, 0, { first: 6, last: 8, before: 440, after: 3_460 }],
    ['day titles and rows, overscan 1', DAYS, 440, 300, 1, { first: 5, last: 9, before: 420, after: 3_360 }],
  ])('%s', (_name, sizes, scrollTop, viewportHeight, overscan, expected) => {
    const window = virtualWindow({ sizes, scrollTop, viewportHeight, overscan });
    expect(window).toEqual({ ...expected, total: sizes.reduce((a, b) => a + b, 0) });
    // Spacers and rendered items always add up to the whole list.
    const rendered = sizes.slice(window.first, window.last + 1).reduce((a, b) => a + b, 0);
    expect(window.before + rendered + window.after).toBe(window.total);
  });

  it('renders every item the viewport touches, and no more than it needs', () => {
    for (let scrollTop = 0; scrollTop <= 4_500; scrollTop += 37) {
      const window = virtualWindow({ sizes: EVEN, scrollTop, viewportHeight: 500, overscan: 0 });
      const offsets = offsetsOf(EVEN);
      expect(offsets[window.first]!).toBeLessThanOrEqual(scrollTop);
      expect(offsets[window.last + 1]!).toBeGreaterThanOrEqual(scrollTop + 500);
      expect(window.last - window.first + 1).toBeLessThanOrEqual(11);
    }
  });
});

describe('nearEnd', () => {
  it.each<[string, number, number, boolean]>([
    ['far from the end', 50, 99, false],
    ['just outside the threshold', 89, 99, false],
    ['at the threshold', 91, 99, true],
    ['at the end', 99, 99, true],
  ])('%s', (_name, last, lastIndex, expected) => {
    const window = { first: 0, last, before: 0, after: 0, total: 0 };
    expect(nearEnd(window, lastIndex + 1, 8)).toBe(expected);
  });

  it('is near the end of an empty list (so the first page is asked for)', () => {
    expect(nearEnd({ first: 0, last: -1, before: 0, after: 0, total: 0 }, 0, 8)).toBe(true);
  });
});

describe('windowSegments', () => {
  const window = virtualWindow({ sizes: EVEN, scrollTop: 1_000, viewportHeight: 100, overscan: 0 });
  const items = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ kind: 'item' as const, index: from + i }));

  it.each([
    ['nothing focused', undefined, [{ kind: 'gap', size: 1_000 }, ...items(20, 21), { kind: 'gap', size: 3_900 }]],
    ['focus inside the window', 21, [{ kind: 'gap', size: 1_000 }, ...items(20, 21), { kind: 'gap', size: 3_900 }]],
    [
      'focus scrolled away above',
      3,
      [{ kind: 'gap', size: 150 }, ...items(3, 3), { kind: 'gap', size: 800 }, ...items(20, 21), { kind: 'gap', size: 3_900 }],
    ],
    [
      'focus scrolled away below',
      60,
      [{ kind: 'gap', size: 1_000 }, ...items(20, 21), { kind: 'gap', size: 1_900 }, ...items(60, 60), { kind: 'gap', size: 1_950 }],
    ],
    ['focus on the first item', 0, [...items(0, 0), { kind: 'gap', size: 950 }, ...items(20, 21), { kind: 'gap', size: 3_900 }]],
    ['a stale focus index is ignored', 500, [{ kind: 'gap', size: 1_000 }, ...items(20, 21), { kind: 'gap', size: 3_900 }]],
  ])('%s', (_name, pinned, expected) => {
    const segments = windowSegments(window, EVEN, pinned);
    expect(segments).toEqual(expected);
    // Whatever is pinned, the rendered list is exactly as tall as the whole list.
    const height = segments.reduce((sum, s) => sum + (s.kind === 'gap' ? s.size : EVEN[s.index]!), 0);
    expect(height).toBe(5_000);
  });
});
