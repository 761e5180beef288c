import type { TextContext } from '@/lib/detect/detection';
import { countDigits } from '@/lib/detect/fold-separators';
import type { TextRun, TextSegment } from '@/lib/detect/text-run';

// Whitespace that CSS collapses in normal flow. NBSP and the other Unicode spaces are not collapsible
// (they are written on purpose), so they stay as they are.
const COLLAPSIBLE = /[ \t\n\r\f]+/g;

/**
 * Accumulates the text of one run, as a reader sees it: blanks collapsed as CSS `white-space: normal`
 * does (unless told to keep them, as in `<pre>`), and every character of the run mapped to the text
 * node it came from.
 */
export class RunBuilder {
  private text = '';
  private segments: TextSegment[] = [];
  private digits = 0;

  /** Digits in the run so far (a run with fewer than a phone number has is not worth keeping). */
  get digitCount(): number {
    return this.digits;
  }

  get isEmpty(): boolean {
    return this.text.length === 0;
  }

  /** Appends a text node's data (or an element's value, for inputs). */
  append(source: Text | Element, data: string, keepWhitespace: boolean): void {
    if (data.length === 0) return;
    this.digits += countDigits(data);
    if (keepWhitespace) {
      this.push(source, 0, data);
      return;
    }
    let i = 0;
    COLLAPSIBLE.lastIndex = 0;
    for (let m = COLLAPSIBLE.exec(data); ; m = COLLAPSIBLE.exec(data)) {
      const chunkEnd = m ? m.index : data.length;
      if (chunkEnd > i) this.push(source, i, data.slice(i, chunkEnd));
      if (!m) return;
      // One blank for the whole stretch, and none at the start of a run or after another blank.
      if (this.text.length > 0 && !this.text.endsWith(' ')) this.push(source, m.index, ' ');
      i = m.index + m[0].length;
    }
  }

  /**
   * Separates what comes next from what came before with a blank that is in no source (a gap
   * between segments), unless the run is empty or already ends with a blank.
   */
  appendSoftBreak(): void {
    if (this.text.length > 0 && !this.text.endsWith(' ')) this.text += ' ';
  }

  /** Ends the run: returns it when it has at least `minDigits` digits, and starts a new one. */
  take(context: TextContext | (() => TextContext), minDigits: number): TextRun | undefined {
    if (this.text.endsWith(' ')) this.dropLastChar();
    const run =
      this.text.length > 0 && this.digits >= minDigits
        ? { text: this.text, segments: this.segments, context: typeof context === 'function' ? context() : context }
        : undefined;
    this.text = '';
    this.segments = [];
    this.digits = 0;
    return run;
  }

  private push(source: Text | Element, sourceOffset: number, chunk: string): void {
    const start = this.text.length;
    this.text += chunk;
    const last = this.segments[this.segments.length - 1];
    // Extend the previous segment when this chunk continues it in both the run and the source.
    if (last && last.source === source && last.end === start && last.sourceOffset + (last.end - last.start) === sourceOffset) {
      last.end = this.text.length;
      return;
    }
    this.segments.push({ start, end: this.text.length, source, sourceOffset });
  }

  private dropLastChar(): void {
    const last = this.segments[this.segments.length - 1];
    // A soft break is in no segment; a collapsed blank is the last character of the last one.
    if (last && last.end === this.text.length) {
      last.end -= 1;
      if (last.end === last.start) this.segments.pop();
    }
    this.text = this.text.slice(0, -1);
  }
}
