/**
 * Small DOM tree helpers that see through open shadow roots and same-origin frames, which the
 * standard `contains()` does not.
 */

/** The node's parent in the "composed" sense: a shadow root's host, a frame document's `<iframe>`. */
export function composedParent(node: Node): Node | null {
  if (node.parentNode) return node.parentNode;
  if (isShadowRoot(node)) return node.host;
  if (node.nodeType === 9) {
    try {
      return (node as Document).defaultView?.frameElement ?? null;
    } catch {
      return null; // a cross-origin parent frame
    }
  }
  return null;
}

/** Whether `ancestor` is `node` or holds it, looking through open shadow roots and frames. */
export function isShadowIncludingInclusiveAncestor(ancestor: Node, node: Node): boolean {
  for (let current: Node | null = node; current; current = composedParent(current)) {
    if (current === ancestor) return true;
  }
  return false;
}

export function isShadowRoot(node: Node): node is ShadowRoot {
  return node.nodeType === 11 && 'host' in node && (node as ShadowRoot).host !== undefined;
}

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === 1;
}

export function isText(node: Node | null | undefined): node is Text {
  return node?.nodeType === 3;
}

/** The document a node lives in (itself for a document). */
export function documentOf(node: Node): Document {
  return node.nodeType === 9 ? (node as Document) : node.ownerDocument!;
}
