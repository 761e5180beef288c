import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { extractTextRuns } from '@/lib/detect/extract-text-runs';
import { findNumbersInRuns } from '@/lib/detect/find-numbers-in-runs';
import { PHONE_CORPUS, type CorpusCase } from '@/tests/fixtures/phone-corpus';

const DEFAULT_REGION = 'RU';

/** The numbers found in a case's page, as comparable `e164;ext` keys, sorted. */
function detect(c: CorpusCase): string[] {
  const html = /^\s*(?:<!doctype|<html)/i.test(c.html) ? c.html : `<!doctype html><html><body>${c.html}</body></html>`;
  const { document } = parseHTML(html);
  const runs = extractTextRuns(document);
  return findNumbersInRuns(runs, { defaultRegion: c.region ?? DEFAULT_REGION })
    .map((n) => key(n))
    .sort();
}

function key(n: { e164: string; ext?: string }): string {
  return n.ext ? `${n.e164};ext=${n.ext}` : n.e164;
}

/** Matches found against expected as multisets. */
function score(found: string[], expected: string[]): { tp: number; fp: number; fn: number } {
  const left = [...expected];
  let tp = 0;
  let fp = 0;
  for (const f of found) {
    const i = left.indexOf(f);
    if (i >= 0) {
      left.splice(i, 1);
      tp += 1;
    } else {
      fp += 1;
    }
  }
  return { tp, fp, fn: left.length };
}

const totals = { tp: 0, fp: 0, fn: 0, cases: 0 };

describe('phone corpus', () => {
  it('has at least 300 cases', () => {
    expect(PHONE_CORPUS.length).toBeGreaterThanOrEqual(300);
  });

  it.each(PHONE_CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = detect(c);
    const expected = c.expect.map(key).sort();
    const s = score(found, expected);
    totals.tp += s.tp;
    totals.fp += s.fp;
    totals.fn += s.fn;
    totals.cases += 1;
    expect(found).toEqual(expected);
  });

  // Runs after every case above (vitest runs a file's tests in order), whatever they reported.
  it('meets the product targets: precision ≥ 0.995, recall ≥ 0.98', () => {
    expect(totals.cases).toBe(PHONE_CORPUS.length);
    const precision = totals.tp / (totals.tp + totals.fp);
    const recall = totals.tp / (totals.tp + totals.fn);
    // The one place this suite prints: the measured figures are the point of the corpus.
    console.log(
      `phone corpus: ${PHONE_CORPUS.length} cases, ${totals.tp + totals.fn} expected numbers; ` +
        `TP ${totals.tp}, FP ${totals.fp}, FN ${totals.fn}; ` +
        `precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.995);
    expect(recall).toBeGreaterThanOrEqual(0.98);
  });
});
