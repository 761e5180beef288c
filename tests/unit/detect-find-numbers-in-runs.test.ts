import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { extractTextRuns } from '@/lib/detect/extract-text-runs';
import { findNumbersInRuns } from '@/lib/detect/find-numbers-in-runs';
import type { FoundNumber } from '@/lib/detect/text-run';

function page(body: string): Document {
  return parseHTML(`<!doctype html><html><body>${body}</body></html>`).document as unknown as Document;
}

const RU = { defaultRegion: 'RU' };

/** Where a number starts and ends, as "node text@offset" (input and link sources by tag). */
function where(found: FoundNumber): [string, string] {
  const at = (source: Text | Element, offset: number) =>
    `${'data' in source ? JSON.stringify(source.data) : `<${source.localName}>`}@${offset}`;
  return [at(found.startSource, found.startOffset), at(found.endSource, found.endOffset)];
}

describe('findNumbersInRuns', () => {
  it('maps a number split across inline elements to its first and last text nodes', () => {
    const runs = extractTextRuns(page('<p>Тел.: <span>+7</span> <span>916</span> 123-45-67, звоните</p>'));
    const [found] = findNumbersInRuns(runs, RU);
    expect(found).toMatchObject({ e164: '+79161234567', text: '+7 916 123-45-67', run: runs[0] });
    expect(where(found!)).toEqual(['"+7"@0', '" 123-45-67, звоните"@10']);
  });

  it('maps a number inside one text node to its offsets there', () => {
    const [found] = findNumbersInRuns(extractTextRuns(page('<p>Звоните: 8 800 555-35-35 доб. 7!</p>')), RU);
    expect(found).toMatchObject({ e164: '+78005553535', ext: '7', text: '8 800 555-35-35 доб. 7' });
    expect(where(found!)).toEqual(['"Звоните: 8 800 555-35-35 доб. 7!"@9', '"Звоните: 8 800 555-35-35 доб. 7!"@31']);
  });

  it('maps through collapsed blanks to the right offsets', () => {
    const [found] = findNumbersInRuns(extractTextRuns(page('<p>\n    Тел.:\n    8 916\n    123 45 67\n</p>')), RU);
    expect(found?.text).toBe('8 916 123 45 67');
    expect(where(found!)).toEqual(['"\\n    Тел.:\\n    8 916\\n    123 45 67\\n"@15', '"\\n    Тел.:\\n    8 916\\n    123 45 67\\n"@34']);
  });

  it('never ends a number at the start of the next node', () => {
    const [found] = findNumbersInRuns(extractTextRuns(page('<p><b>8 916 123-45-67</b><i>, Иван</i></p>')), RU);
    expect(where(found!)).toEqual(['"8 916 123-45-67"@0', '"8 916 123-45-67"@15']);
  });

  it('maps a number in an input to the input and offsets in its value', () => {
    const doc = page('<input type="tel" value=" +7 916 123-45-67">');
    const [found] = findNumbersInRuns(extractTextRuns(doc), RU);
    expect(found).toMatchObject({ e164: '+79161234567', startSource: doc.querySelector('input'), startOffset: 1, endOffset: 17 });
  });

  it('finds a tel: link once when its text shows the number', () => {
    const found = findNumbersInRuns(extractTextRuns(page('<a href="tel:+79161234567">8 (916) 123-45-67</a>')), RU);
    expect(found.map((f) => [f.e164, f.text])).toEqual([['+79161234567', '8 (916) 123-45-67']]);
  });

  it('finds a tel: link whose text is not a number once, from the href, on the link', () => {
    const doc = page('<a href="tel:84951234567;ext=12">Позвонить</a>');
    const found = findNumbersInRuns(extractTextRuns(doc), RU);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ e164: '+74951234567', ext: '12', startSource: doc.querySelector('a'), endSource: doc.querySelector('a') });
  });

  it('falls back to the href when the text has digits but no number the detector takes', () => {
    const found = findNumbersInRuns(extractTextRuns(page('<a href="tel:+78005553535">8-800-555-ТАКСИ 35</a>')), RU);
    expect(found.map((f) => [f.e164, f.text, where(f)])).toEqual([
      ['+78005553535', '8-800-555-ТАКСИ 35', ['"8-800-555-ТАКСИ 35"@0', '"8-800-555-ТАКСИ 35"@18']],
    ]);
  });

  it('finds nothing in a tel: link to a short number', () => {
    expect(findNumbersInRuns(extractTextRuns(page('<a href="tel:112">112</a>')), RU)).toEqual([]);
  });

  it('uses the default region it is given', () => {
    const runs = extractTextRuns(page('<p>(212) 555-0100</p>'));
    expect(findNumbersInRuns(runs, RU)).toEqual([]);
    expect(findNumbersInRuns(runs, { defaultRegion: 'US' }).map((f) => f.e164)).toEqual(['+12125550100']);
  });
});
