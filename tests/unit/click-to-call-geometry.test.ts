import { describe, expect, it } from 'vitest';
import { boxesContain, placeCard, placeInputButton, unionBox } from '@/lib/click-to-call/geometry';

const box = (left: number, top: number, right: number, bottom: number) => ({ left, top, right, bottom });
const viewport = { width: 1000, height: 800 };

describe('boxesContain (hit-testing a number’s line boxes)', () => {
  // A number that wraps: "+7 916" at the end of one line, "123-45-67" at the start of the next.
  const wrapped = [box(900, 100, 990, 118), box(10, 118, 100, 136)];

  it.each([
    { x: 950, y: 110, hit: true, why: 'on the first line' },
    { x: 50, y: 130, hit: true, why: 'on the second line' },
    { x: 500, y: 110, hit: false, why: 'between the two parts' },
    { x: 991, y: 110, hit: true, why: 'within the 1 px slop' },
    { x: 995, y: 110, hit: false, why: 'past the slop' },
  ])('$why → $hit', ({ x, y, hit }) => {
    expect(boxesContain(wrapped, x, y)).toBe(hit);
  });

  it('ignores empty boxes (collapsed whitespace)', () => {
    expect(boxesContain([box(10, 10, 10, 30)], 10, 20)).toBe(false);
  });
});

describe('unionBox', () => {
  it('spans every non-empty box', () => {
    expect(unionBox([box(900, 100, 990, 118), box(0, 0, 0, 0), box(10, 118, 100, 136)])).toEqual(box(10, 100, 990, 136));
  });

  it('is undefined without boxes', () => {
    expect(unionBox([])).toBeUndefined();
  });
});

describe('placeCard', () => {
  const card = { width: 220, height: 90 };

  it('goes below the number, left-aligned with it', () => {
    expect(placeCard(box(100, 200, 220, 218), card, viewport)).toEqual({ left: 100, top: 224, side: 'below' });
  });

  it('goes above when there is no room below', () => {
    expect(placeCard(box(100, 750, 220, 768), card, viewport)).toEqual({ left: 100, top: 654, side: 'above' });
  });

  it('stays inside the viewport horizontally', () => {
    expect(placeCard(box(900, 200, 990, 218), card, viewport).left).toBe(1000 - 220 - 4);
    expect(placeCard(box(-50, 200, 20, 218), card, viewport).left).toBe(4);
  });

  it('never covers the number', () => {
    for (let top = 0; top < 800; top += 37) {
      const anchor = box(100, top, 200, top + 18);
      const place = placeCard(anchor, card, viewport);
      const overlaps = place.top < anchor.bottom && place.top + card.height > anchor.top;
      expect(overlaps, `number at ${top}`).toBe(false);
    }
  });
});

describe('placeInputButton', () => {
  it('sits right of the field, centred', () => {
    expect(placeInputButton(box(100, 100, 300, 130), { width: 24, height: 24 }, viewport)).toEqual({ left: 304, top: 103 });
  });

  it('moves inside the field at the viewport’s right edge', () => {
    expect(placeInputButton(box(700, 100, 990, 130), { width: 24, height: 24 }, viewport)).toEqual({ left: 962, top: 103 });
  });
});
