/**
 * Windowing math of the virtualized history list: which items to render for a scroll position, and
 * how tall the empty space above and below them must be so that the scrollbar still stands for the
 * whole list. Pure: the component measures, this module only counts.
 *
 * ```
 *  ┌──────────────┐ ─┐
 *  │   before     │  │ spacer: sizes of items 0 … first-1
 *  ├──────────────┤ ─┤
 *  │ first        │  │ overscan above
 *  │ ┄ viewport ┄ │  │ items that intersect [scrollTop, scrollTop + viewportHeight)
 *  │ last         │  │ overscan below
 *  ├──────────────┤ ─┤
 *  │   after      │  │ spacer: sizes of items last+1 … n-1
 *  └──────────────┘ ─┘
 * ```
 */

/** Items rendered above and below the visible ones when no overscan is given. */
export const DEFAULT_OVERSCAN = 4;

export interface VirtualWindowInput {
  /** Height of every item in px: measured when it has been rendered, else an estimate. */
  sizes: readonly number[];
  /** The scroll container's `scrollTop`. */
  scrollTop: number;
  /** The scroll container's visible height (`clientHeight`). */
  viewportHeight: number;
  /** @defaultValue {@link DEFAULT_OVERSCAN} */
  overscan?: number;
}

export interface VirtualWindow {
  /** Index of the first item rendered; 0 when there are none. */
  first: number;
  /** Index of the last item rendered (inclusive); -1 when there are none. */
  last: number;
  /** Height of the space standing for items before `first`. */
  before: number;
  /** Height of the space standing for items after `last`. */
  after: number;
  /** Height of the whole list. */
  total: number;
}

/** Offsets of every item's top, plus the total height at the end (`n + 1` numbers). */
export function offsetsOf(sizes: readonly number[]): number[] {
  const offsets = new Array<number>(sizes.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < sizes.length; i++) offsets[i + 1] = offsets[i]! + Math.max(0, sizes[i]!);
  return offsets;
}

/** The item whose span `[top, bottom)` holds `y` (the last item for `y` past the end). */
function itemAt(offsets: readonly number[], y: number): number {
  let low = 0;
  let high = offsets.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (offsets[middle]! <= y) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The items to render for a scroll position: those intersecting the viewport, plus `overscan` on
 * each side, and the spacer heights around them. A scroll position past the end (the list shrank)
 * is read as the end, so the last items stay rendered.
 */
export function virtualWindow({ sizes, scrollTop, viewportHeight, overscan = DEFAULT_OVERSCAN }: VirtualWindowInput): VirtualWindow {
  const count = sizes.length;
  const offsets = offsetsOf(sizes);
  const total = offsets[count]!;
  if (count === 0) return { first: 0, last: -1, before: 0, after: 0, total: 0 };
  const viewport = Math.max(0, viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewport));
  const firstVisible = itemAt(offsets, top);
  // The bottom edge is exclusive: an item starting exactly there is not visible.
  const lastVisible = viewport === 0 ? firstVisible : Math.max(firstVisible, itemAt(offsets, top + viewport - 0.5));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(count - 1, lastVisible + overscan);
  return { first, last, before: offsets[first]!, after: total - offsets[last + 1]!, total };
}

/**
 * Whether the window reaches within `threshold` items of the end of the list: time to load the
 * next page, before the user hits the bottom.
 */
export function nearEnd(window: VirtualWindow, count: number, threshold: number): boolean {
  return count === 0 || window.last >= count - 1 - threshold;
}

/** A run of the rendered list: empty space of a height, or one item. */
export type WindowSegment = { kind: 'gap'; size: number } | { kind: 'item'; index: number };

/**
 * The window as a sequence of spacers and items. `pinned` (the item holding the keyboard focus) is
 * rendered even outside the window, between spacers, so scrolling it away neither removes the
 * focused element from the document nor moves the others.
 */
export function windowSegments(window: VirtualWindow, sizes: readonly number[], pinned?: number): WindowSegment[] {
  const segments: WindowSegment[] = [];
  const gap = (size: number): void => {
    if (size > 0) segments.push({ kind: 'gap', size });
  };
  const items = (from: number, to: number): void => {
    for (let index = from; index <= to; index++) segments.push({ kind: 'item', index });
  };
  if (window.last < window.first) return segments;
  const outside = pinned !== undefined && pinned >= 0 && pinned < sizes.length && (pinned < window.first || pinned > window.last);
  if (!outside) {
    gap(window.before);
    items(window.first, window.last);
    gap(window.after);
    return segments;
  }
  const offsets = offsetsOf(sizes);
  if (pinned < window.first) {
    gap(offsets[pinned]!);
    items(pinned, pinned);
    gap(offsets[window.first]! - offsets[pinned + 1]!);
    items(window.first, window.last);
    gap(window.after);
  } else {
    gap(window.before);
    items(window.first, window.last);
    gap(offsets[pinned]! - offsets[window.last + 1]!);
    items(pinned, pinned);
    gap(offsets[sizes.length]! - offsets[pinned + 1]!);
  }
  return segments;
}
