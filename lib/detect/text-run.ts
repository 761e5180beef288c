import type { TextContext } from '@/lib/detect/detection';

/**
 * A piece of a page's text as a reader sees it: the text of one block (a paragraph, a table cell, a
 * list item…) with inline elements joined, so `<span>+7</span> <span>916</span> 123-45-67` reads as
 * one string. Each segment maps a slice of `text` back to where it came from.
 */
export interface TextRun {
  text: string;
  context: TextContext;
  /**
   * In text order, never overlapping. A character of `text` may be in none: the blank put between
   * inline boxes glued without one (`<span>Иван</span><span>8916…</span>`); no number starts or
   * ends on it.
   */
  segments: TextSegment[];
}

/** `text.slice(start, end)` of the run comes from `source`, starting at `sourceOffset` in it. */
export interface TextSegment {
  start: number;
  end: number;
  /** A text node, or an element whose value/attribute supplied the text (input, `tel:` link). */
  source: Text | Element;
  sourceOffset: number;
}

/** A number found in a run, mapped back to the page: where it starts and ends in the DOM. */
export interface FoundNumber {
  e164: string;
  ext?: string;
  /** The number as written on the page. */
  text: string;
  /** The run it came from (its context decides how it is marked). */
  run: TextRun;
  startSource: Text | Element;
  startOffset: number;
  endSource: Text | Element;
  endOffset: number;
}
