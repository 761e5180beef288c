import type { DetectOptions, Detection } from '@/lib/detect/detection';
import type { FoundNumber, TextRun } from '@/lib/detect/text-run';

/**
 * The detection engine as the scanner uses it (lib/detect, see createDetectorCore): reading blocks
 * of the page into text runs, finding numbers in them, and telling which block a node's text belongs
 * to. Injected, so the scanner's bookkeeping can be tested with a simple stand-in.
 */
export interface DetectorCore {
  /**
   * The text runs of these blocks (their subtrees; a block nested in another of the batch is read
   * once). One call for a batch of blocks shares the work of finding labels (a table's headers).
   */
  extractRuns(blocks: readonly Node[]): TextRun[];
  /** The run container of `node`: the element whose runs must be re-read when `node` changes. */
  blockOf(node: Node): Node | null | undefined;
  findNumbersInRuns(runs: TextRun[], options: { defaultRegion: string }): FoundNumber[];
  /** Numbers in a plain string (a `tel:` href without a `+`). */
  detectPhoneNumbers?(text: string, options: DetectOptions): Detection[];
  /**
   * A cheap test while walking: true only when `text` is the whole text of its block (a lone text node
   * in a table cell) and certainly holds no number, so its block need not even be queued.
   */
  rejectsText?(text: Text, data?: string): boolean;
  /**
   * The run of a block made of one text node, built without a tree walk: `null` when the block is not
   * such a block (read it with {@link extractRuns}), `undefined` when it makes no run worth searching.
   */
  loneTextRun?(block: Node): TextRun | null | undefined;
  /** Forgets what was cached about the page (labels, headers): called when the scanner is idle. */
  reset?(): void;
}
