import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { createDetectorCore, extractBatchRuns, extractBlockRuns, rejectsLoneText } from '@/lib/click-to-call/default-detector-core';
import { extractTextRuns } from '@/lib/detect/extract-text-runs';

function page(html: string) {
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
}

const TABLE =
  '<table><thead><tr><th>Контакт</th><th>Телефон</th><th>ИНН</th><th>Сумма</th></tr></thead><tbody>' +
  '<tr><td>Анна</td><td id="phone">  +7 (916)\n 123-45-67 </td><td id="inn">7707083893</td><td id="sum">45 000 ₽</td></tr>' +
  '</tbody></table>' +
  '<dl><dt>Тел.</dt><dd id="dd">8 916 123 45 67</dd></dl>' +
  '<div contenteditable="true"><p id="editable">+7 916 123-45-67</p></div>' +
  '<pre id="pre">+7 916\n123-45-67</pre>' +
  '<p id="split"><span>+7</span> 916 123-45-67</p>';

describe('the detector core’s fast path for a block of one text node', () => {
  it.each(['phone', 'inn', 'dd'])('makes the run extraction makes (#%s)', (id) => {
    const document = page(TABLE);
    const block = document.getElementById(id)!;
    const core = createDetectorCore();
    const fast = core.loneTextRun!(block);
    const [slow] = extractTextRuns(block);
    expect(fast).toEqual(slow);
  });

  it('finds the same numbers as extraction', () => {
    const document = page(TABLE);
    const core = createDetectorCore();
    for (const id of ['phone', 'inn', 'dd']) {
      const block = document.getElementById(id)!;
      const fast = core.findNumbersInRuns([core.loneTextRun!(block)!], { defaultRegion: 'RU' });
      const slow = core.findNumbersInRuns(extractTextRuns(block), { defaultRegion: 'RU' });
      expect(fast.map((n) => n.e164)).toEqual(slow.map((n) => n.e164));
    }
  });

  it('has no run for a block without seven digits in a row', () => {
    const document = page(TABLE);
    expect(createDetectorCore().loneTextRun!(document.getElementById('sum')!)).toBeUndefined();
  });

  it.each(['editable', 'pre', 'split'])('leaves #%s to extraction', (id) => {
    const document = page(TABLE);
    expect(createDetectorCore().loneTextRun!(document.getElementById(id)!)).toBeNull();
  });
});

describe('rejectsLoneText', () => {
  it.each([
    { html: '<td>45 000 ₽</td>', rejected: true },
    { html: '<td>1 250 000 ₽</td>', rejected: false }, // seven digits: the detector decides (an amount)
    { html: '<td>v2.14.3</td>', rejected: true },
    { html: '<td>123456</td>', rejected: true },
    { html: '<td>+7 916 123-45-67</td>', rejected: false },
    { html: '<td>12.03.2024</td>', rejected: false }, // the detector decides: eight digits in a row
  ])('$html → $rejected', ({ html, rejected }) => {
    const document = page(`<table><tr>${html}</tr></table>`);
    const text = document.querySelector('td')!.firstChild as Text;
    expect(rejectsLoneText(text)).toBe(rejected);
  });

  it('never rejects part of a split number', () => {
    const document = page('<p><span>+7</span> <span>916</span> 123</p>');
    expect(rejectsLoneText(document.querySelector('span')!.firstChild as Text)).toBe(false);
  });
});

describe('extractBlockRuns', () => {
  it('reads a large container by its inline children only', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `<tr><td>+7 916 ${100 + i}-45-67</td><td>x</td></tr>`).join('');
    const document = page(`<div id="box">Всего: <b>+7 495 123-45-67</b><table>${rows}</table></div>`);
    const runs = extractBlockRuns(document.getElementById('box')!);
    expect(runs.map((run) => run.text)).toEqual(['+7 495 123-45-67']);
    expect(extractBatchRuns([document.getElementById('box')!]).map((run) => run.text)).toEqual(['+7 495 123-45-67']);
  });

  it('reads a small block whole', () => {
    const document = page('<div id="box"><p>+7 495 123-45-67</p><p>8 916 123 45 67</p></div>');
    expect(extractBlockRuns(document.getElementById('box')!)).toHaveLength(2);
  });
});
