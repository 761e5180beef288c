/**
 * Node helpers that work with any DOM implementation (Chromium, `linkedom` in unit tests): node types
 * are compared as numbers, since a page's or an iframe's `Node` constructor is not ours.
 */

/** `Node.ELEMENT_NODE`. */
export const ELEMENT_NODE = 1;
/** `Node.TEXT_NODE`. */
export const TEXT_NODE = 3;
/** `Node.CDATA_SECTION_NODE` (XHTML pages): text, too. */
export const CDATA_SECTION_NODE = 4;
/** `Node.DOCUMENT_NODE`. */
export const DOCUMENT_NODE = 9;
/** `Node.DOCUMENT_FRAGMENT_NODE`: shadow roots are fragments. */
export const DOCUMENT_FRAGMENT_NODE = 11;

/** Whether the node is an element. */
export function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

/** Whether the node holds text (a text or CDATA node). */
export function isText(node: Node): node is Text {
  return node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE;
}

/**
 * The node's parent in the composed tree: a shadow root's parent is its host, so walking up from
 * inside a component reaches the page around it.
 */
export function composedParent(node: Node): Node | null {
  if (node.nodeType === DOCUMENT_FRAGMENT_NODE) return ((node as ShadowRoot).host as Element | undefined) ?? null;
  const parent = node.parentNode;
  if (parent && parent.nodeType === DOCUMENT_FRAGMENT_NODE) {
    const host = (parent as ShadowRoot).host as Element | undefined;
    if (host) return host;
  }
  return parent;
}

/** The element's open shadow root, when it has one (closed roots are out of reach, by design). */
export function openShadowRoot(element: Element): ShadowRoot | null {
  return (element as Element & { shadowRoot?: ShadowRoot | null }).shadowRoot ?? null;
}

/** An iframe's document when it is same-origin and loaded, otherwise `null` (never throws). */
export function frameDocument(frame: Element): Document | null {
  try {
    return (frame as HTMLIFrameElement).contentDocument ?? null;
  } catch {
    // Some engines throw instead of returning null for cross-origin frames.
    return null;
  }
}

/**
 * The text of a node, read no further than `max` characters, with blanks collapsed and trimmed.
 * Labels are short: reading a whole table's `textContent` to find out it is not a label would make
 * every row cost as much as the table.
 *
 * @returns the text, or `undefined` when there is more than `max` characters of it.
 */
export function boundedText(node: Node, max: number): string | undefined {
  let text = '';
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (isText(current)) {
      text += (current as Text).data;
      if (text.length > max * 2 && text.replace(/\s+/g, ' ').trim().length > max) return undefined;
      continue;
    }
    if (isElement(current) && SKIPPED_IN_LABELS.has(current.localName)) continue;
    for (let child = current.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? undefined : collapsed;
}

const SKIPPED_IN_LABELS = new Set(['script', 'style', 'noscript', 'template', 'svg']);
