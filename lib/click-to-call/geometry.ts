/**
 * Geometry for hit-testing and placing the card: plain numbers, no DOM, so it is unit-tested as is.
 */

/** A rectangle in viewport (client) coordinates. `DOMRect` fits. */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Whether the point is inside the box, grown by `slop` pixels on every side. */
export function boxContains(box: Box, x: number, y: number, slop = 0): boolean {
  return x >= box.left - slop && x <= box.right + slop && y >= box.top - slop && y <= box.bottom + slop;
}

/**
 * Whether the point is over one of a range's line boxes (`Range.getClientRects()`): a number that
 * wraps has one box per line, and the space between them is not the number. Empty boxes are ignored.
 */
export function boxesContain(boxes: Iterable<Box>, x: number, y: number, slop = 1): boolean {
  for (const box of boxes) {
    if (box.right - box.left <= 0 || box.bottom - box.top <= 0) continue;
    if (boxContains(box, x, y, slop)) return true;
  }
  return false;
}

/** The smallest box holding all non-empty `boxes`, or undefined when there are none. */
export function unionBox(boxes: Iterable<Box>): Box | undefined {
  let union: { left: number; top: number; right: number; bottom: number } | undefined;
  for (const box of boxes) {
    if (box.right - box.left <= 0 && box.bottom - box.top <= 0) continue;
    if (!union) union = { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
    else {
      union.left = Math.min(union.left, box.left);
      union.top = Math.min(union.top, box.top);
      union.right = Math.max(union.right, box.right);
      union.bottom = Math.max(union.bottom, box.bottom);
    }
  }
  return union;
}

/** Whether two boxes overlap (touching edges count). */
export function boxesIntersect(a: Box, b: Box): boolean {
  return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;
}

/** Where the card goes: its top-left corner, and whether it sits below or above the number. */
export interface Placement {
  left: number;
  top: number;
  side: 'below' | 'above';
}

/**
 * Places a card of `card` size next to `anchor` inside a viewport of `viewport` size: below the
 * number when it fits, else above, else on whichever side has more room; left-aligned with the
 * number and shifted to stay `margin` pixels inside the viewport. Never on top of the number itself,
 * so the pointer that revealed the card is not already over its buttons.
 */
export function placeCard(anchor: Box, card: Size, viewport: Size, gap = 6, margin = 4): Placement {
  const roomBelow = viewport.height - anchor.bottom - gap - margin;
  const roomAbove = anchor.top - gap - margin;
  const side: Placement['side'] =
    card.height <= roomBelow ? 'below' : card.height <= roomAbove ? 'above' : roomBelow >= roomAbove ? 'below' : 'above';
  const top = side === 'below' ? anchor.bottom + gap : anchor.top - gap - card.height;
  const maxLeft = Math.max(margin, viewport.width - card.width - margin);
  const left = Math.min(Math.max(anchor.left, margin), maxLeft);
  return { left: Math.round(left), top: Math.round(top), side };
}

/**
 * Where the small call button of an input goes: just right of the field, vertically centred; inside
 * its right edge when the field touches the viewport's right edge.
 */
export function placeInputButton(field: Box, button: Size, viewport: Size, gap = 4): { left: number; top: number } {
  const top = field.top + (field.bottom - field.top - button.height) / 2;
  const outside = field.right + gap;
  const left = outside + button.width <= viewport.width ? outside : field.right - gap - button.width;
  return { left: Math.round(left), top: Math.round(top) };
}
