import { composedParent, DOCUMENT_NODE, isElement } from '@/lib/detect/dom-nodes';
import { isBlockElement } from '@/lib/detect/dom-tags';

/**
 * The run container of a node: its nearest block-level ancestor (or itself), looking through shadow
 * roots to their hosts. Every run {@link extractTextRuns} makes lies within one such block, so after
 * a mutation the scanner re-extracts just the blocks of the changed nodes
 * (see {@link extractTextRunsFrom}).
 *
 * A node outside any block gets its document's root element; a detached one, its topmost element.
 */
export function blockOf(node: Node): Element {
  let topmost: Element | undefined;
  for (let current: Node | null = node; current; current = composedParent(current)) {
    if (isElement(current)) {
      if (isBlockElement(current)) return current;
      topmost = current;
    } else if (current.nodeType === DOCUMENT_NODE) {
      const root = (current as Document).documentElement;
      if (root) return root;
    }
  }
  if (topmost) return topmost;
  const root = node.ownerDocument?.documentElement;
  if (root) return root;
  throw new TypeError('blockOf: the node belongs to no element and no document');
}
