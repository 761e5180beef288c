import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { detectPhoneNumbers } from '@/lib/detect/detect-phone-numbers';
import { extractTextRuns } from '@/lib/detect/extract-text-runs';
import { findNumbersInRuns } from '@/lib/detect/find-numbers-in-runs';

// Loose bounds: they catch a regression by an order of magnitude (catastrophic backtracking, a
// quadratic walk), not a slow CI machine. The measured figures are printed.
const TABLE_BUDGET_MS = 5000;
const ADVERSARIAL_BUDGET_MS = 2000;

const ROWS = 10_000;

/** A CRM-like row: a name, a phone, an INN, a date and time, an amount, an e-mail, an order number. */
function rowCells(i: number): string[] {
  const n = String(1_000_000 + i).slice(1);
  return [
    `Клиент ${i}`,
    `+7 (916) ${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}7`,
    `77070${String(83_893 + i).padStart(5, '0')}`,
    `12.03.2024 14:${String(i % 60).padStart(2, '0')}`,
    `${(i * 1234) % 1000} ${String(i % 1000).padStart(3, '0')} ₽`,
    `client${i}@mail.ru`,
    `Заказ №${4_500_000 + i}`,
  ];
}

describe('detection throughput', () => {
  it(`scans a ${ROWS}-row table`, () => {
    const rows = Array.from({ length: ROWS }, (_, i) => `<tr>${rowCells(i).map((c) => `<td>${c}</td>`).join('')}</tr>`);
    const { document } = parseHTML(
      `<!doctype html><html><body><table><thead><tr><th>Имя</th><th>Телефон</th><th>ИНН</th><th>Дата</th><th>Сумма</th><th>Email</th><th>Заказ</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`,
    );
    const t0 = performance.now();
    const runs = extractTextRuns(document as unknown as Document);
    const t1 = performance.now();
    const found = findNumbersInRuns(runs, { defaultRegion: 'RU' });
    const t2 = performance.now();
    console.log(
      `throughput: ${ROWS} rows → ${runs.length} runs in ${(t1 - t0).toFixed(0)} ms, ` +
        `${found.length} numbers found in ${(t2 - t1).toFixed(0)} ms`,
    );
    expect(found).toHaveLength(ROWS);
    expect(t2 - t0).toBeLessThan(TABLE_BUDGET_MS);
  });

  it(`detects in ${ROWS} rows of plain text`, () => {
    const lines = Array.from({ length: ROWS }, (_, i) => rowCells(i).join(' | '));
    const t0 = performance.now();
    let count = 0;
    for (const line of lines) count += detectPhoneNumbers(line, { defaultRegion: 'RU' }).length;
    const elapsed = performance.now() - t0;
    console.log(`throughput: ${ROWS} text rows, ${count} numbers, ${elapsed.toFixed(0)} ms`);
    expect(count).toBe(ROWS);
    expect(elapsed).toBeLessThan(TABLE_BUDGET_MS);
  });

  it.each([
    { name: 'a long word before an e-mail address', text: `${'a'.repeat(200_000)} x@y.ru 89161234567` },
    { name: 'a long local part', text: `${'a'.repeat(200_000)}@y.ru` },
    { name: 'digits and blanks', text: '1 '.repeat(100_000) },
    { name: 'digits and hyphens', text: `${'1-'.repeat(100_000)}1` },
    { name: 'open brackets', text: '((1'.repeat(50_000) },
    { name: 'every separator', text: '1 .-/()'.repeat(20_000) },
    { name: 'one long digit run', text: '7'.repeat(200_000) },
    { name: 'dots', text: '1.'.repeat(100_000) },
    { name: 'colons', text: '12:'.repeat(60_000) },
    { name: 'label words', text: `${'телефон '.repeat(20_000)}89161234567` },
    { name: 'blanks between two digits', text: `8${' '.repeat(100_000)}9` },
    { name: 'plus signs', text: `${'+'.repeat(100_000)}79161234567` },
    { name: 'numbers glued by blanks', text: '8 916 123 45 67 '.repeat(5_000) },
  ])('stays linear on $name', ({ text }) => {
    const t0 = performance.now();
    detectPhoneNumbers(text, { defaultRegion: 'RU', context: { label: 'Телефон' } });
    expect(performance.now() - t0).toBeLessThan(ADVERSARIAL_BUDGET_MS);
  });
});
