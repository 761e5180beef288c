import { blockOf } from '@/lib/detect/block-of';
import type { TextContext } from '@/lib/detect/detection';
import {
  composedParent,
  DOCUMENT_FRAGMENT_NODE,
  DOCUMENT_NODE,
  frameDocument,
  isElement,
  isText,
  openShadowRoot,
} from '@/lib/detect/dom-nodes';
import { FORMATTING_TAGS, isBlockElement, PRE_TAGS } from '@/lib/detect/dom-tags';
import { LabelFinder } from '@/lib/detect/label-finder';
import { isInsideLeftAlone, leftAloneReason, OWN_UI_ATTRIBUTE } from '@/lib/detect/left-alone';
import { phoneInputValue } from '@/lib/detect/phone-input';
import { RunBuilder } from '@/lib/detect/run-builder';
import { isDialLink, telTarget, telTargetText } from '@/lib/detect/tel-link';
import type { TextRun } from '@/lib/detect/text-run';

export { blockOf };

/** Options of {@link extractTextRuns} and {@link extractTextRunsFrom}. */
export interface ExtractTextRunsOptions {
  /**
   * Attribute marking the host element of the extension's own UI, whose content is never scanned.
   * @defaultValue `'data-crm-softphone-ui'`
   */
  ownUiAttribute?: string;
  /**
   * Walk into the documents of same-origin iframes. Turn off when the content script runs in every
   * frame itself, or each framed number would be found twice.
   * @defaultValue `true`
   */
  enterFrames?: boolean;
  /**
   * Walk into open shadow roots. Turn off when the caller walks them itself.
   * @defaultValue `true`
   */
  enterShadowRoots?: boolean;
  /**
   * Runs with fewer digits are not returned: they cannot hold a phone number, and skipping them
   * early spares finding their labels.
   * @defaultValue `7`
   */
  minDigits?: number;
}

/**
 * Reads a page (or part of one) into text runs, the way a reader sees its text:
 *
 * - inline content of one block joins into one run, so `<span>+7</span> <span>916</span> 123-45-67`
 *   reads `+7 916 123-45-67`; blocks are told by a static tag list ({@link isBlockElement}), never
 *   by computed style; `<br>` ends a run; each table cell is its own run, so adjacent cells never join;
 *   blanks are collapsed as CSS does (kept in `<pre>`), and every character maps back to its text node,
 *   except one kind of blank: inline boxes glued without one (`<span>Иван</span><span>8916…</span>`,
 *   as frameworks render flex items) get a soft break, a blank in no segment (see {@link FORMATTING_TAGS});
 * - each run carries its context: the column header of its cell, a label cell or `<th>` in its row,
 *   a `<dt>`/`<label>`/label-classed element before its block (see {@link LabelFinder});
 * - phone-like `<input>`s add a run of their value (see {@link phoneInputValue}), read-only;
 * - a `tel:`/`sip:` link is a run of its own with `fromTelLink`: its text, carrying the href's
 *   number as `telTarget`, when the text has enough digits to show a number; otherwise the href's
 *   number, mapped to the link element. Either way the link makes one occurrence;
 * - left alone: script, style, noscript, template, head, graphics, textarea, select, contenteditable
 *   subtrees and the extension's own UI (see {@link leftAloneReason});
 * - open shadow roots are walked (their content first, as its own block, then the host's light
 *   children; slots are not followed, so slotted text is read once, where it is in the light DOM);
 *   same-origin iframes are walked too (both can be turned off); closed roots and cross-origin frames
 *   cannot be.
 *
 * Works with any DOM implementation (Chromium, linkedom): iterative, no TreeWalker or style needed.
 */
export function extractTextRuns(root: Node, options: ExtractTextRunsOptions = {}): TextRun[] {
  const extraction = new Extraction(options);
  extraction.extract(root);
  return extraction.runs;
}

/**
 * Re-reads only the blocks that hold the given nodes (see {@link blockOf}), for a MutationObserver:
 * pass the targets and added nodes of a batch of mutations. Blocks nested in another block of the
 * batch are read once, as part of it.
 */
export function extractTextRunsFrom(nodes: Iterable<Node>, options: ExtractTextRunsOptions = {}): TextRun[] {
  const blocks = new Set<Element>();
  for (const node of nodes) blocks.add(blockOf(node));
  const extraction = new Extraction(options);
  for (const block of blocks) {
    if (!hasAncestorIn(block, blocks)) extraction.extract(block);
  }
  return extraction.runs;
}

/** Ends the children of an element: flushes the run if it was a block, leaves `<pre>`. */
class ExitMarker {
  constructor(
    readonly element: Element,
    readonly block: boolean,
    readonly pre: boolean,
  ) {}
}

/** Ends a run without leaving an element: around shadow roots and frame documents. */
class BreakMarker {}
const BREAK = new BreakMarker();

type WalkItem = Node | ExitMarker | BreakMarker;

class Extraction {
  readonly runs: TextRun[] = [];
  private readonly ownUi: string;
  private readonly enterFrames: boolean;
  private readonly enterShadowRoots: boolean;
  private readonly minDigits: number;
  private readonly labels = new LabelFinder();
  private readonly builder = new RunBuilder();
  private blocks: Element[] = [];
  private preDepth = 0;
  /** An inline box was just closed, with no text since: a box opening now is glued to it. */
  private afterBox = false;
  /** Two inline boxes were glued: the next text gets a soft break before it. */
  private softBreak = false;

  constructor(options: ExtractTextRunsOptions) {
    this.ownUi = options.ownUiAttribute ?? OWN_UI_ATTRIBUTE;
    this.enterFrames = options.enterFrames ?? true;
    this.enterShadowRoots = options.enterShadowRoots ?? true;
    this.minDigits = options.minDigits ?? 7;
  }

  extract(root: Node): void {
    if (root.nodeType !== DOCUMENT_NODE && isInsideLeftAlone(root, this.ownUi)) return;
    this.blocks = [blockOf(root)];
    this.preDepth = hasPreAncestor(root) ? 1 : 0;
    const stack: WalkItem[] = [root];
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (item instanceof ExitMarker) this.exit(item);
      else if (item instanceof BreakMarker) this.flush();
      else this.visit(item, stack);
    }
    this.flush();
  }

  private visit(node: Node, stack: WalkItem[]): void {
    if (isText(node)) {
      const data = (node as Text).data;
      if (data.length === 0) return;
      if (this.softBreak) this.builder.appendSoftBreak();
      this.afterBox = false;
      this.softBreak = false;
      this.builder.append(node as Text, data, this.preDepth > 0);
      return;
    }
    if (node.nodeType === DOCUMENT_NODE) {
      const doc = node as Document;
      if (doc.designMode !== 'on' && doc.documentElement) stack.push(doc.documentElement);
      return;
    }
    if (node.nodeType === DOCUMENT_FRAGMENT_NODE) {
      pushChildren(node, stack);
      return;
    }
    if (isElement(node)) this.enter(node, stack);
  }

  private enter(element: Element, stack: WalkItem[]): void {
    const reason = leftAloneReason(element, this.ownUi);
    if (reason !== undefined) {
      // A script between two halves of a number is invisible; a textarea or editor is a box of its own.
      if (reason !== 'invisible') this.flush();
      return;
    }
    const tag = element.localName;
    if (tag === 'br') {
      this.flush();
      return;
    }
    if (tag === 'input') {
      this.flush();
      this.addInputRun(element);
      return;
    }
    if (tag === 'iframe' || tag === 'frame') {
      this.flush();
      const doc = this.enterFrames ? frameDocument(element) : null;
      if (doc) stack.push(BREAK, doc);
      return;
    }
    if (isDialLink(element)) {
      this.flush();
      this.addLinkRun(element);
      return;
    }
    const block = isBlockElement(element);
    const pre = PRE_TAGS.has(tag);
    if (block) {
      this.flush();
      this.blocks.push(element);
    } else if (FORMATTING_TAGS.has(tag)) {
      this.afterBox = false;
    } else if (this.afterBox) {
      this.softBreak = true;
    }
    if (pre) this.preDepth += 1;
    stack.push(new ExitMarker(element, block, pre));
    pushChildren(element, stack);
    const shadow = this.enterShadowRoots ? openShadowRoot(element) : null;
    // Popped first: the shadow tree (what the host renders), as a block of its own, then the light children.
    if (shadow) stack.push(BREAK, shadow, BREAK);
  }

  private exit(marker: ExitMarker): void {
    if (marker.block) {
      this.flush();
      this.blocks.pop();
    } else if (!FORMATTING_TAGS.has(marker.element.localName)) {
      this.afterBox = true;
    }
    if (marker.pre) this.preDepth -= 1;
  }

  private get block(): Element {
    return this.blocks[this.blocks.length - 1]!;
  }

  private flush(): void {
    this.afterBox = false;
    this.softBreak = false;
    if (this.builder.isEmpty) return;
    const block = this.block;
    const run = this.builder.take(() => this.contextOf(block), this.minDigits);
    if (run) this.runs.push(run);
  }

  private contextOf(block: Element, extra?: TextContext): TextContext {
    const label = this.labels.labelOfBlock(block);
    return { ...(label ? { label } : {}), ...extra };
  }

  private addInputRun(input: Element): void {
    const label = this.labels.labelOfInput(input, this.block);
    const value = phoneInputValue(input, label);
    if (value === undefined) return;
    // The value exactly as it is, so offsets into the run are offsets into the input's value.
    this.runs.push({
      text: value,
      segments: [{ start: 0, end: value.length, source: input, sourceOffset: 0 }],
      context: { fromInput: true, label },
    });
  }

  /**
   * One run per dialling link: its text when that shows a number (at least `minDigits` digits), with
   * the href's number as a hint; otherwise ("Call us", an icon) the href's number, mapped to the link.
   */
  private addLinkRun(link: Element): void {
    const target = telTarget(link.getAttribute('href') ?? '');
    const builder = new RunBuilder();
    collectText(link, builder, this.preDepth > 0, this.ownUi);
    const block = this.block;
    if (builder.digitCount >= this.minDigits || target === undefined) {
      // A sip: link to a name (sip:alice@…) vouches for nothing: its text is read like any other.
      const extra: TextContext = target === undefined ? {} : { fromTelLink: true, telTarget: target };
      const run = builder.take(() => this.contextOf(block, extra), this.minDigits);
      if (run) this.runs.push(run);
      return;
    }
    const text = telTargetText(target);
    this.runs.push({
      text,
      segments: [{ start: 0, end: text.length, source: link, sourceOffset: 0 }],
      context: this.contextOf(block, { fromTelLink: true }),
    });
  }
}

/** The text of a link's subtree as one run, whatever blocks it holds, minus what is left alone. */
function collectText(root: Element, builder: RunBuilder, keepWhitespace: boolean, ownUi: string): void {
  const stack: Node[] = [];
  pushChildren(root, stack);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isText(node)) {
      builder.append(node as Text, (node as Text).data, keepWhitespace);
    } else if (isElement(node) && node.localName !== 'input' && leftAloneReason(node, ownUi) === undefined) {
      pushChildren(node, stack);
    }
  }
}

function pushChildren(parent: Node, stack: WalkItem[]): void {
  for (let child = parent.lastChild; child; child = child.previousSibling) stack.push(child);
}

function hasPreAncestor(node: Node): boolean {
  for (let current = composedParent(node); current; current = composedParent(current)) {
    if (isElement(current) && PRE_TAGS.has(current.localName)) return true;
  }
  return false;
}

function hasAncestorIn(element: Element, set: ReadonlySet<Element>): boolean {
  for (let current = composedParent(element); current; current = composedParent(current)) {
    if (isElement(current) && set.has(current)) return true;
  }
  return false;
}
