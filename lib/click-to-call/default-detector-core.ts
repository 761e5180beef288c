import type { DetectorCore } from '@/lib/click-to-call/detector-core';
import { detectPhoneNumbers } from '@/lib/detect/detect-phone-numbers';
import { isBlockElement, PRE_TAGS } from '@/lib/detect/dom-tags';
import { blockOf, extractTextRuns, extractTextRunsFrom } from '@/lib/detect/extract-text-runs';
import { findNumbersInRuns } from '@/lib/detect/find-numbers-in-runs';
import { LabelFinder } from '@/lib/detect/label-finder';
import { leftAloneReason, OWN_UI_ATTRIBUTE } from '@/lib/detect/left-alone';
import { RunBuilder } from '@/lib/detect/run-builder';
import type { TextRun } from '@/lib/detect/text-run';

/** A block with more nodes than this is read child by child (see {@link extractBlockRuns}). */
const LARGE_BLOCK_NODES = 1500;
/** Fewest digits a run needs to be worth searching (lib/detect's MIN_DIGITS). */
const MIN_DIGITS = 7;

/**
 * Seven digits, each to the next at most four phone-punctuation characters apart: lib/detect's digit
 * pieces before folding (any Unicode blank or dash, full-width digits and brackets). Text without
 * such a stretch holds no number; the test costs a fraction of reading the text into a run.
 */
const SEVEN_DIGIT_PIECE =
  /[0-9\uff10-\uff19](?:[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff./()\u2010-\u2015\u2212\ufe63\uff08\uff09\uff0b\uff0d-]{0,4}[0-9\uff10-\uff19]){6}/;

/**
 * The runs of one block, in bounded time. `extractTextRuns(block)` reads the block's whole subtree,
 * nested blocks included, which is right for a table cell but not for a container that happens to
 * hold a stray digit ("Всего: 10 000" above a 10,000-row table): that would read the whole table in
 * one step, a long task. A large block is read as its inline children only; its nested blocks have
 * text nodes of their own, so the scanner reaches them as blocks of their own. (A number split across
 * several inline children directly in such a container is then missed: rare, and the price of never
 * blocking the page.)
 *
 * Frames are not entered: the scanner scans each same-origin frame's document by itself.
 */
export function extractBlockRuns(block: Node): TextRun[] {
  if (block.nodeType !== 1 || !hasMoreNodesThan(block, LARGE_BLOCK_NODES)) {
    return extractTextRuns(block, { enterFrames: false });
  }
  const runs: TextRun[] = [];
  for (let child = block.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1 && isBlockElement(child as Element)) continue;
    if (child.nodeType !== 1 && child.nodeType !== 3) continue;
    for (const run of extractTextRuns(child, { enterFrames: false })) runs.push(run);
  }
  return runs;
}

/**
 * The runs of a batch of blocks: small blocks in one extraction (one label finder, so a table's
 * header is read once per batch, not once per cell), large ones one by one ({@link extractBlockRuns}).
 */
export function extractBatchRuns(blocks: readonly Node[]): TextRun[] {
  const small: Node[] = [];
  const runs: TextRun[] = [];
  for (const block of blocks) {
    if (block.nodeType === 1 && hasMoreNodesThan(block, LARGE_BLOCK_NODES)) runs.push(...extractBlockRuns(block));
    else small.push(block);
  }
  if (small.length > 0) runs.push(...extractTextRunsFrom(small, { enterFrames: false }));
  return runs;
}

/** Whether the subtree of `root` has more than `limit` nodes; stops counting at the limit. */
function hasMoreNodesThan(root: Node, limit: number): boolean {
  if (!root.firstChild) return false;
  let count = 0;
  for (let node: Node | null = root.firstChild; node; ) {
    if (++count > limit) return true;
    let next: Node | null = node.firstChild;
    for (let current: Node | null = node; !next && current && current !== root; current = current.parentNode) {
      next = current.nextSibling;
    }
    node = next;
  }
  return false;
}

/** The block whose whole content is `text` (a table cell, a `<dd>` with one text node), or null. */
function loneTextBlock(text: Text): Element | null {
  const parent = text.parentNode;
  if (!parent || parent.nodeType !== 1 || parent.firstChild !== text || parent.lastChild !== text) return null;
  const element = parent as Element;
  if (!isBlockElement(element) || element.shadowRoot || PRE_TAGS.has(element.localName)) return null;
  return element;
}

/**
 * Whether a text node is its block's whole text and has no stretch of seven digits: then the block
 * holds no number, and the scanner need not even queue it (amounts, short IDs, versions, postal codes).
 */
export function rejectsLoneText(text: Text, data: string = text.data): boolean {
  return loneTextBlock(text) !== null && !SEVEN_DIGIT_PIECE.test(data);
}

/**
 * lib/detect as the scanner uses it, with a fast path for the commonest block of a CRM list: a cell
 * holding one text node. Such a block's run is built directly (the run builder and label finder
 * extraction uses, so the run is the one extraction would make), skipping the tree walk; and since
 * this core keeps one label finder until {@link DetectorCore.reset}, a table's header is read once
 * for the whole table.
 */
export function createDetectorCore(): DetectorCore {
  let labels = new LabelFinder();
  /**
   * Elements known to be (or to be inside) something left alone: an editor, our UI, a textarea…
   * Cleared by reset() when the scanner is idle (a Map: weak entries by the ten thousand slow the GC).
   */
  const leftAlone = new Map<Element, boolean>();

  const insideLeftAlone = (element: Element): boolean => {
    const known = leftAlone.get(element);
    if (known !== undefined) return known;
    const document = element.ownerDocument;
    let result = leftAloneReason(element, OWN_UI_ATTRIBUTE) !== undefined || document.designMode === 'on';
    if (!result) {
      const parent = element.parentNode;
      const up = parent?.nodeType === 1 ? (parent as Element) : parent?.nodeType === 11 ? (parent as ShadowRoot).host : null;
      if (up) {
        result = insideLeftAlone(up);
        // Text keeps its whitespace anywhere inside <pre>: leave such blocks to extraction.
        if (!result && PRE_TAGS.has(up.localName)) result = true;
      }
    }
    leftAlone.set(element, result);
    return result;
  };

  return {
    extractRuns: extractBatchRuns,
    blockOf,
    findNumbersInRuns,
    detectPhoneNumbers,
    rejectsText: rejectsLoneText,
    loneTextRun(block) {
      if (block.nodeType !== 1) return null;
      const only = block.firstChild;
      if (!only || only.nodeType !== 3 || loneTextBlock(only as Text) !== block) return null;
      if (insideLeftAlone(block as Element)) return null;
      const data = (only as Text).data;
      if (!SEVEN_DIGIT_PIECE.test(data)) return undefined;
      const builder = new RunBuilder();
      builder.append(only as Text, data, false);
      return (
        builder.take(() => {
          const label = labels.labelOfBlock(block as Element);
          return label ? { label } : {};
        }, MIN_DIGITS) ?? undefined
      );
    },
    reset() {
      labels = new LabelFinder();
      leftAlone.clear();
    },
  };
}

/** Text that takes the detector down its main paths: international, national, extension, traps. */
const WARM_UP_TEXT = [
  'Тел.: +7 (916) 123-45-67, 8 800 555-35-35 доб. 123; +44 20 7946 0958',
  'ИНН 7707083893, заказ № 4815162342 от 12.03.2024 14:30, 1 250 000 ₽, 192.168.1.1',
  '4276 3800 1234 5678, v2.14.3, 123456, (495) 987-65-43',
];

/**
 * Runs the detector once over a few sample lines, so that its code is compiled and libphonenumber's
 * metadata read before the first real scan. On a fresh page that first-time cost is most of the
 * time until the viewport's numbers are marked (≈40 of 50 ms on a CRM list); paid in an idle moment
 * while the page loads, it is off the user's path. Safe to call more than once; does nothing to the page.
 */
export function warmUpDetection(defaultRegion = 'RU'): void {
  const runs: TextRun[] = WARM_UP_TEXT.map((text) => ({
    text,
    context: { label: 'Телефон' },
    segments: [],
  }));
  findNumbersInRuns(runs, { defaultRegion });
  for (const text of WARM_UP_TEXT) {
    detectPhoneNumbers(text, { defaultRegion });
    SEVEN_DIGIT_PIECE.test(text);
    const builder = new RunBuilder();
    builder.append(document.createTextNode(text), text, false);
    builder.take({}, MIN_DIGITS);
  }
}
