import { detectPhoneNumbers } from '@/lib/detect/detect-phone-numbers';
import type { Detection } from '@/lib/detect/detection';
import { telTargetText } from '@/lib/detect/tel-link';
import type { FoundNumber, TextRun, TextSegment } from '@/lib/detect/text-run';

/** Options of {@link findNumbersInRuns}. */
export interface FindNumbersOptions {
  /** ISO 3166-1 alpha-2 region for numbers written without a country code. */
  defaultRegion: string;
}

/**
 * Finds the phone numbers in text runs (see {@link extractTextRuns}) and maps each back to the page:
 * the text node (or input, or link) and offset where it starts and where it ends, which may be in
 * different nodes when the number was split across inline elements.
 *
 * A `tel:` link whose text shows no number the detector accepts still makes one occurrence, from its
 * href (`telTarget`), spanning the link's text.
 */
export function findNumbersInRuns(runs: readonly TextRun[], options: FindNumbersOptions): FoundNumber[] {
  const found: FoundNumber[] = [];
  for (const run of runs) {
    let detections = detectPhoneNumbers(run.text, { defaultRegion: options.defaultRegion, context: run.context });
    if (detections.length === 0 && run.context.telTarget !== undefined) {
      detections = fromTelTarget(run, run.context.telTarget, options.defaultRegion);
    }
    for (const detection of detections) {
      const mapped = mapToSources(run, detection);
      if (mapped) found.push(mapped);
    }
  }
  return found;
}

function fromTelTarget(run: TextRun, target: string, defaultRegion: string): Detection[] {
  const [number] = detectPhoneNumbers(telTargetText(target), { defaultRegion, context: { fromTelLink: true } });
  if (!number || run.segments.length === 0) return [];
  const { e164, ext } = number;
  return [{ start: 0, end: run.text.length, e164, ...(ext ? { ext } : {}) }];
}

function mapToSources(run: TextRun, detection: Detection): FoundNumber | undefined {
  const first = segmentAt(run.segments, detection.start, false);
  const last = segmentAt(run.segments, detection.end, true);
  if (!first || !last) return undefined;
  return {
    e164: detection.e164,
    ...(detection.ext ? { ext: detection.ext } : {}),
    text: run.text.slice(detection.start, detection.end),
    run,
    startSource: first.source,
    startOffset: first.sourceOffset + (detection.start - first.start),
    endSource: last.source,
    endOffset: last.sourceOffset + (detection.end - last.start),
  };
}

/**
 * The segment holding run index `index` by binary search: the one it starts (`start <= index < end`),
 * or for an end index the one it ends (`start < index <= end`), so a number never ends at the start
 * of the next node.
 */
function segmentAt(segments: readonly TextSegment[], index: number, isEnd: boolean): TextSegment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (isEnd ? index <= s.start : index < s.start) hi = mid - 1;
    else if (isEnd ? index > s.end : index >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
