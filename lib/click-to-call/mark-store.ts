import type { FoundNumber } from '@/lib/detect/text-run';
import { isShadowIncludingInclusiveAncestor } from '@/lib/click-to-call/dom-tree';

/** One marked number on the page. */
export interface Mark {
  readonly found: FoundNumber;
  /** The run container (block) it was found in; marks are replaced a block at a time. */
  readonly block: Node;
  /** Every text node or element that supplies characters of the number, in order. */
  readonly sources: readonly (Text | Element)[];
}

/** What a {@link MarkStore.replace} changed. */
export interface MarkChange {
  added: Mark[];
  removed: Mark[];
}

/**
 * The bookkeeping of marked numbers: by block (so a changed block's marks are swapped at once), and by
 * source node (so hit-testing a text node under the pointer, or a focused input, finds its numbers
 * without searching). Holds no DOM state of its own: painting is the {@link HighlightPainter}'s job.
 */
export class MarkStore {
  readonly #byBlock = new Map<Node, Mark[]>();
  // A Map, not a WeakMap: entries leave with their block (drop), and 10,000 ephemerons would make
  // every major GC of a large page slower.
  readonly #bySource = new Map<Node, Mark[]>();
  #size = 0;

  /** How many numbers are marked. */
  get size(): number {
    return this.#size;
  }

  /** Blocks that have marks, in the order they were first marked. */
  blocks(): IterableIterator<Node> {
    return this.#byBlock.keys();
  }

  /** Marks of one block. */
  inBlock(block: Node): readonly Mark[] {
    return this.#byBlock.get(block) ?? [];
  }

  /** Marks that include characters of `source` (a text node, an input, a `tel:` link). */
  atSource(source: Node): readonly Mark[] {
    return this.#bySource.get(source) ?? [];
  }

  /** Sets the numbers of `block`, replacing whatever it had. */
  replace(block: Node, found: readonly FoundNumber[]): MarkChange {
    const removed = this.drop(block);
    if (found.length === 0) return { added: [], removed };
    const added = found.map((number): Mark => ({ found: number, block, sources: coveredSources(number) }));
    this.#byBlock.set(block, added);
    this.#size += added.length;
    for (const mark of added) {
      for (const source of mark.sources) {
        const list = this.#bySource.get(source);
        if (list) list.push(mark);
        else this.#bySource.set(source, [mark]);
      }
    }
    return { added, removed };
  }

  /** Forgets the marks of `block`; returns them. */
  drop(block: Node): Mark[] {
    const marks = this.#byBlock.get(block);
    if (!marks) return [];
    this.#byBlock.delete(block);
    this.#size -= marks.length;
    for (const mark of marks) {
      for (const source of mark.sources) {
        const list = this.#bySource.get(source);
        if (!list) continue;
        const remaining = list.filter((other) => other !== mark);
        if (remaining.length > 0) this.#bySource.set(source, remaining);
        else this.#bySource.delete(source);
      }
    }
    return marks;
  }

  /**
   * Forgets the marks of blocks that left the document (a removed row, a closed dialog). One pass over
   * the blocks, however many nodes were removed.
   */
  dropDisconnected(): Mark[] {
    const removed: Mark[] = [];
    for (const block of [...this.#byBlock.keys()]) {
      if (!block.isConnected) removed.push(...this.drop(block));
    }
    return removed;
  }

  /** Forgets everything; returns what was marked. */
  clear(): Mark[] {
    const all = [...this.#byBlock.values()].flat();
    for (const block of [...this.#byBlock.keys()]) this.drop(block);
    return all;
  }

  /**
   * Marks whose number starts under `root` (shadow roots and same-origin frames included), one per
   * occurrence, in the order their blocks were marked (the viewport's first).
   */
  under(root: Node): Mark[] {
    const result: Mark[] = [];
    const rootScope = root.getRootNode();
    for (const [block, marks] of this.#byBlock) {
      if (root === block || (block.getRootNode() === rootScope ? root.contains(block) : isShadowIncludingInclusiveAncestor(root, block))) {
        result.push(...marks);
      } else if (block.contains(root)) {
        // `root` is inside the block (a focused span, a cell's link): only the numbers that start in it.
        for (const mark of marks) if (root.contains(mark.found.startSource)) result.push(mark);
      }
    }
    return result;
  }
}

/**
 * The text nodes and elements a number covers: the segments of its run from the one holding its start
 * to the one holding its end. Falls back to its start and end sources when the run does not say.
 */
export function coveredSources(found: FoundNumber): (Text | Element)[] {
  const sources: (Text | Element)[] = [];
  let started = false;
  for (const segment of found.run.segments) {
    const length = segment.end - segment.start;
    const holds = (offset: number): boolean => offset >= segment.sourceOffset && offset <= segment.sourceOffset + length;
    if (!started && segment.source === found.startSource && holds(found.startOffset)) started = true;
    if (!started) continue;
    if (!sources.includes(segment.source)) sources.push(segment.source);
    if (segment.source === found.endSource && holds(found.endOffset)) return sources;
  }
  const fallback: (Text | Element)[] = [found.startSource];
  if (found.endSource !== found.startSource) fallback.push(found.endSource);
  return started ? sources : fallback;
}
