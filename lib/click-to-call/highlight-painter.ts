import type { Mark } from '@/lib/click-to-call/mark-store';

/** The name of our highlight in `CSS.highlights`: `::highlight(crm-softphone-phone)`. */
export const HIGHLIGHT_NAME = 'crm-softphone-phone';
/** The same numbers again, for the dotted underline on pages small enough to afford it. */
export const UNDERLINE_HIGHLIGHT_NAME = 'crm-softphone-phone-underline';
/** The number under the pointer or with the card open: `::highlight(crm-softphone-phone-active)`. */
export const ACTIVE_HIGHLIGHT_NAME = 'crm-softphone-phone-active';

/**
 * A subtle colour and tint for every number, a dotted underline where the page is small, a stronger
 * tint for the active one. Only properties `::highlight()` accepts (color, background, text-decoration,
 * text-shadow), so the text's layout cannot change.
 * https://drafts.csswg.org/css-highlight-api-1/#styling-highlights
 *
 * The underline is a highlight of its own because a `text-decoration` (or `text-shadow`) in a
 * `::highlight()` gives the text visual overflow: Chromium then recomputes the visual overflow of the
 * whole layout tree after every change of the highlight (PrePaint: 65 ms on a 10,000-row table, for
 * 60 ranges), while colours alone cost ~1 ms. See {@link HighlightPainter.setUnderlined}.
 */
const HIGHLIGHT_CSS = `
::highlight(${HIGHLIGHT_NAME}) {
  color: #1a5fb4;
  background-color: rgba(26, 115, 232, 0.08);
}
::highlight(${UNDERLINE_HIGHLIGHT_NAME}) {
  text-decoration-line: underline;
  text-decoration-style: dotted;
  text-decoration-color: #1a73e8;
}
::highlight(${ACTIVE_HIGHLIGHT_NAME}) {
  color: #0b4aa2;
  background-color: rgba(26, 115, 232, 0.2);
}
`;

interface HighlightWindow {
  CSS?: { highlights?: HighlightRegistry };
  Highlight?: new (...ranges: AbstractRange[]) => Highlight;
  StaticRange?: new (init: StaticRangeInit) => StaticRange;
  CSSStyleSheet?: new () => CSSStyleSheet;
}


const sheets = new WeakMap<Document, CSSStyleSheet>();

/** The document's highlight stylesheet (one per document: a constructed sheet belongs to one). */
function highlightSheetFor(document: Document): CSSStyleSheet | undefined {
  const existing = sheets.get(document);
  if (existing) return existing;
  const SheetClass = (document.defaultView as HighlightWindow | null)?.CSSStyleSheet;
  if (!SheetClass) return undefined;
  try {
    const sheet = new SheetClass();
    sheet.replaceSync(HIGHLIGHT_CSS);
    sheets.set(document, sheet);
    return sheet;
  } catch {
    return undefined; // no constructable stylesheets: nothing is painted
  }
}

/**
 * Adopts the highlight stylesheet into a document now. Call it as early as possible (a content script
 * at `document_start`, a `<script>` in `<head>`): adding any `::highlight()` rule to a page that is
 * already laid out makes Chromium recalculate the style of every element — 300–450 ms on a
 * 10,000-row table, in one task — while a rule present from the start costs nothing. The scanner
 * adopts it too when it starts, so calling this is optional.
 */
export function installHighlightStyles(document: Document): void {
  const sheet = highlightSheetFor(document);
  if (sheet) adoptSheet(document, sheet);
}

/** Adds `sheet` to a document's or shadow root's adopted stylesheets, once. */
function adoptSheet(scope: Document | ShadowRoot, sheet: CSSStyleSheet): void {
  const adopted = scope.adoptedStyleSheets;
  if (adopted.includes(sheet)) return;
  // push() on the observable array rather than an assignment: Firefox's Xray wrappers accept it.
  try {
    adopted.push(sheet);
  } catch {
    scope.adoptedStyleSheets = [...adopted, sheet];
  }
}

/** Whether the browser has the CSS Custom Highlight API (Chrome 105+, Firefox 140+, Safari 17.2+). */
export function supportsHighlights(window: Window): boolean {
  const scope = window as unknown as HighlightWindow;
  return typeof scope.Highlight === 'function' && scope.CSS?.highlights !== undefined;
}

/**
 * Paints marks of one document with the CSS Custom Highlight API: the page's DOM is not touched, so
 * its text, layout, selection and copy/paste stay exactly as they were. The style comes from a
 * constructed stylesheet adopted into the document and into every shadow root holding marks
 * (`::highlight()` rules do not cross shadow boundaries; the registry is per document).
 *
 * Only the marks near the viewport are painted: Chromium rebuilds the markers of every highlighted
 * range after any DOM or style change in the document (HighlightRegistry::ValidateHighlightMarkers),
 * about 10 µs per range — 100 ms per page update with 10,000 numbers painted, against ~1 ms with the
 * hundred or so on screen. The scanner tells the painter which marks to show as the page scrolls.
 */
export class HighlightPainter {
  readonly document: Document;
  readonly #window: HighlightWindow;
  readonly #highlight: Highlight | undefined;
  readonly #underline: Highlight | undefined;
  readonly #active: Highlight | undefined;
  #underlined = false;
  readonly #sheet: CSSStyleSheet | undefined;
  readonly #ranges = new Map<Mark, AbstractRange>();
  readonly #adoptedBy = new Set<Document | ShadowRoot>();
  #activeMark: Mark | undefined;
  #attached = false;

  constructor(document: Document) {
    this.document = document;
    this.#window = (document.defaultView ?? {}) as HighlightWindow;
    const HighlightClass = this.#window.Highlight;
    if (HighlightClass && this.#window.CSS?.highlights) {
      this.#highlight = new HighlightClass();
      this.#underline = new HighlightClass();
      this.#active = new HighlightClass();
      this.#active.priority = 1;
    }
    this.#sheet = highlightSheetFor(document);
  }

  /** How many marks are painted now. */
  get paintedCount(): number {
    return this.#ranges.size;
  }

  /** Whether `mark` is painted now. */
  isPainted(mark: Mark): boolean {
    return this.#ranges.has(mark);
  }

  /** Registers the highlights and adopts the stylesheet into the document. */
  attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    const registry = this.#window.CSS?.highlights;
    if (registry && this.#highlight && this.#active) {
      registry.set(HIGHLIGHT_NAME, this.#highlight);
      registry.set(ACTIVE_HIGHLIGHT_NAME, this.#active);
    }
    this.adoptInto(this.document);
  }

  /** Adopts the highlight stylesheet into a shadow root (or the document); idempotent. */
  adoptInto(scope: Document | ShadowRoot): void {
    if (!this.#sheet) return;
    adoptSheet(scope, this.#sheet);
    this.#adoptedBy.add(scope);
  }

  /** Adopts the stylesheet again where the page replaced `adoptedStyleSheets` since. */
  readopt(): void {
    for (const scope of this.#adoptedBy) this.adoptInto(scope);
    const registry = this.#window.CSS?.highlights;
    if (registry && this.#highlight && registry.get(HIGHLIGHT_NAME) !== this.#highlight) {
      registry.set(HIGHLIGHT_NAME, this.#highlight);
    }
  }

  /** Paints exactly `marks` (those of this document), unpainting the others. */
  show(marks: ReadonlySet<Mark>): void {
    const highlight = this.#highlight;
    if (!highlight) return;
    const underline = this.#underlined ? this.#underline : undefined;
    for (const [mark, range] of this.#ranges) {
      if (!marks.has(mark)) {
        highlight.delete(range);
        underline?.delete(range);
        this.#ranges.delete(mark);
      }
    }
    for (const mark of marks) {
      if (this.#ranges.has(mark)) continue;
      const range = this.#rangeOf(mark);
      if (!range) continue;
      highlight.add(range);
      underline?.add(range);
      this.#ranges.set(mark, range);
    }
  }

  /**
   * Turns the dotted underline on or off (see the stylesheet's comment for its cost on large pages):
   * the scanner turns it on where the document has few elements.
   */
  setUnderlined(on: boolean): void {
    const underline = this.#underline;
    const registry = this.#window.CSS?.highlights;
    if (on === this.#underlined || !underline || !registry) return;
    this.#underlined = on;
    underline.clear();
    if (on) {
      for (const range of this.#ranges.values()) underline.add(range);
      registry.set(UNDERLINE_HIGHLIGHT_NAME, underline);
    } else if (registry.get(UNDERLINE_HIGHLIGHT_NAME) === underline) {
      registry.delete(UNDERLINE_HIGHLIGHT_NAME);
    }
  }

  /** Unpaints marks that are gone (their block was re-scanned or removed). */
  forget(marks: Iterable<Mark>): void {
    for (const mark of marks) {
      const range = this.#ranges.get(mark);
      if (range) {
        this.#highlight?.delete(range);
        this.#underline?.delete(range);
        this.#ranges.delete(mark);
      }
      if (mark === this.#activeMark) this.setActive(undefined);
    }
  }

  /** Emphasises one mark (hovered, or with the card open). */
  setActive(mark: Mark | undefined): void {
    if (mark === this.#activeMark) return;
    this.#active?.clear();
    this.#activeMark = mark;
    const range = mark && this.#rangeOf(mark);
    if (range) this.#active?.add(range);
  }

  /** Removes every painted mark, the highlights and the stylesheets. */
  detach(): void {
    this.#highlight?.clear();
    this.#underline?.clear();
    this.#active?.clear();
    this.#ranges.clear();
    this.#activeMark = undefined;
    this.#underlined = false;
    const registry = this.#window.CSS?.highlights;
    if (registry) {
      if (registry.get(HIGHLIGHT_NAME) === this.#highlight) registry.delete(HIGHLIGHT_NAME);
      if (registry.get(UNDERLINE_HIGHLIGHT_NAME) === this.#underline) registry.delete(UNDERLINE_HIGHLIGHT_NAME);
      if (registry.get(ACTIVE_HIGHLIGHT_NAME) === this.#active) registry.delete(ACTIVE_HIGHLIGHT_NAME);
    }
    const sheet = this.#sheet;
    if (sheet) {
      for (const scope of this.#adoptedBy) {
        const sheets = scope.adoptedStyleSheets;
        const index = sheets.indexOf(sheet);
        if (index < 0) continue;
        try {
          sheets.splice(index, 1);
        } catch {
          scope.adoptedStyleSheets = sheets.filter((other) => other !== sheet);
        }
      }
    }
    this.#adoptedBy.clear();
    this.#attached = false;
  }

  /**
   * A StaticRange for a number in text nodes: static ranges are not updated on every DOM mutation
   * as live ranges are (10,000 live ranges make each DOM change ~0.5 ms slower in Chromium); a changed
   * block is re-scanned and gets new ranges anyway. Built with this document's own StaticRange, since
   * a range created in another realm (the top page for an iframe) is not painted. Numbers in form
   * fields have no text node to highlight: the field's call button stands for them.
   */
  #rangeOf(mark: Mark): AbstractRange | undefined {
    const { startSource, startOffset, endSource, endOffset } = mark.found;
    const StaticRangeClass = this.#window.StaticRange;
    if (!StaticRangeClass) return undefined;
    let init: StaticRangeInit;
    if (startSource.nodeType === 3 && endSource.nodeType === 3) {
      init = { startContainer: startSource, startOffset, endContainer: endSource, endOffset };
    } else if (startSource === endSource && (startSource as Element).localName === 'a') {
      // A `tel:` link whose text does not show the number ("Call us"): its whole text is the mark.
      init = { startContainer: startSource, startOffset: 0, endContainer: startSource, endOffset: startSource.childNodes.length };
    } else return undefined;
    try {
      return new StaticRangeClass(init);
    } catch {
      return undefined;
    }
  }
}
