import type { Box } from '@/lib/click-to-call/geometry';
import { hasDigit, isElementSource, isSkippedElement } from '@/lib/click-to-call/page-sources';
import type { DomWalkVisitor } from '@/lib/click-to-call/dom-walk';

/** Above this many element children, the children are searched by position instead of one by one. */
const BISECT_ABOVE = 48;
/** Children checked to decide that a long list of children is laid out top to bottom. */
const ORDER_SAMPLES = 8;

/**
 * Finds the text nodes and element sources that are in (or near) `box`, the visible part of the page,
 * without visiting the rest: it descends only into elements whose box meets `box`, and in a long list
 * of children (10,000 table rows) it finds the first visible one by bisection, since such lists are
 * laid out top to bottom. Elements without a box (`display: contents`, or not laid out) are descended
 * into, so their children are not missed.
 *
 * This is a heuristic for speed: it may miss a number in an unusual layout, which the full scan then
 * marks a few slices later. It reads layout (getBoundingClientRect), so call it when layout is clean.
 */
export function visitViewport(root: Node, box: Box, visitor: DomWalkVisitor): void {
  descend(root, box, visitor);
}

function rectOf(element: Element): DOMRect {
  return element.getBoundingClientRect();
}

function hasBox(rect: DOMRect): boolean {
  return rect.width > 0 || rect.height > 0;
}

function meets(rect: DOMRect, box: Box): boolean {
  return rect.bottom >= box.top && rect.top <= box.bottom && rect.right >= box.left && rect.left <= box.right;
}

function descend(parent: Node, box: Box, visitor: DomWalkVisitor): void {
  const children = (parent as ParentNode).children;
  if (children && children.length > BISECT_ABOVE && laidOutTopToBottom(children)) {
    descendBisected(children, box, visitor);
    return;
  }
  for (let child = parent.firstChild; child; child = child.nextSibling) visitChild(child, box, visitor);
}

function visitChild(child: Node, box: Box, visitor: DomWalkVisitor): void {
  if (child.nodeType === 3) {
    const data = (child as Text).data;
    if (hasDigit(data)) visitor.text(child as Text, data);
    return;
  }
  if (child.nodeType !== 1) return;
  const element = child as Element;
  const tag = element.tagName;
  if (tag === 'IFRAME' || tag === 'FRAME') {
    if (meets(rectOf(element), box)) visitor.frame(element as HTMLIFrameElement);
    return;
  }
  if (isSkippedElement(element)) return;
  const rect = rectOf(element);
  if (hasBox(rect) && !meets(rect, box)) return;
  if ((tag === 'INPUT' || tag === 'A') && isElementSource(element)) visitor.element(element);
  const shadow = element.shadowRoot;
  if (shadow) {
    visitor.shadowRoot(shadow);
    descend(shadow, box, visitor);
  }
  descend(element, box, visitor);
}

/** Whether sampled children's tops never go up: rows of a table, items of a list, cards in a grid. */
function laidOutTopToBottom(children: HTMLCollection): boolean {
  let previous = -Infinity;
  const step = Math.max(1, Math.floor(children.length / ORDER_SAMPLES));
  for (let index = 0; index < children.length; index += step) {
    const rect = rectOf(children[index]!);
    if (!hasBox(rect)) continue;
    if (rect.top < previous) return false;
    previous = rect.top;
  }
  return true;
}

function descendBisected(children: HTMLCollection, box: Box, visitor: DomWalkVisitor): void {
  // First child whose bottom reaches the box (bottoms grow with tops in a top-to-bottom layout).
  let low = 0;
  let high = children.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const rect = rectOf(children[middle]!);
    if (hasBox(rect) && rect.bottom < box.top) low = middle + 1;
    else high = middle;
  }
  const first = Math.max(0, low - 1);
  // Text directly in the parent, before the first visited child.
  const firstChild = children[first]!;
  for (let node = firstChild.previousSibling; node && node.nodeType !== 1; node = node.previousSibling) {
    visitChild(node, box, visitor);
  }
  let misses = 0;
  for (let index = first; index < children.length; index++) {
    const child = children[index]!;
    const rect = rectOf(child);
    if (hasBox(rect) && rect.top > box.bottom) {
      // Tolerate a few out-of-order children (a sticky footer row) before deciding the list is over.
      if (++misses > 3) break;
      continue;
    }
    visitChild(child, box, visitor);
    for (let node = child.nextSibling; node && node.nodeType !== 1; node = node.nextSibling) visitChild(node, box, visitor);
  }
}
