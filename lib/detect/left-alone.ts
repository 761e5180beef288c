import { composedParent, isElement } from '@/lib/detect/dom-nodes';
import { BOXED_CONTROL_TAGS, INVISIBLE_TAGS } from '@/lib/detect/dom-tags';

/** The attribute on the host element of the extension's own UI; nothing inside it is scanned. */
export const OWN_UI_ATTRIBUTE = 'data-crm-softphone-ui';

/**
 * Why an element's content is not scanned:
 *
 * - `invisible`: script, style, noscript, template, head, graphics (see {@link INVISIBLE_TAGS});
 * - `boxed`: textarea and select, whose text is the user's input or a list of choices;
 * - `editable`: a contenteditable element, whose text the user is writing (marking it up would
 *   corrupt the editor, e.g. a Gmail reply or a CRM note);
 * - `own-ui`: the extension's own UI.
 *
 * The last three also end the run they interrupt, since they are boxes of their own on the page.
 */
export type LeftAloneReason = 'invisible' | 'boxed' | 'editable' | 'own-ui';

/** Why the element's content is left alone, or `undefined` when it is scanned. */
export function leftAloneReason(element: Element, ownUiAttribute: string): LeftAloneReason | undefined {
  const tag = element.localName;
  if (INVISIBLE_TAGS.has(tag)) return 'invisible';
  if (BOXED_CONTROL_TAGS.has(tag)) return 'boxed';
  if (element.hasAttribute(ownUiAttribute)) return 'own-ui';
  if (isEditingHost(element)) return 'editable';
  return undefined;
}

/**
 * Whether anything around `node` (its ancestors, across shadow boundaries, and its document's
 * design mode) leaves it alone: used when only part of a page is re-scanned.
 */
export function isInsideLeftAlone(node: Node, ownUiAttribute: string): boolean {
  const doc = node.ownerDocument;
  if (doc && doc.designMode === 'on') return true;
  for (let current = composedParent(node); current; current = composedParent(current)) {
    if (isElement(current) && leftAloneReason(current, ownUiAttribute) !== undefined) return true;
  }
  return false;
}

// The attribute, not `isContentEditable`: Chromium brings style up to date to answer that, per
// element. Inherited editability needs no check, since whole editable subtrees are skipped.
function isEditingHost(element: Element): boolean {
  const value = element.getAttribute('contenteditable');
  if (value === null) return false;
  const normalized = value.trim().toLowerCase();
  return normalized === '' || normalized === 'true' || normalized === 'plaintext-only';
}
