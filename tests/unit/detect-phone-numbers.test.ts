import { describe, expect, it } from 'vitest';
import { detectPhoneNumbers } from '@/lib/detect/detect-phone-numbers';
import type { DetectOptions, TextContext } from '@/lib/detect/detection';

const NBSP = '\u00a0';
const THIN = '\u2009';
const NNBSP = '\u202f';
const EN = '\u2013';
const MINUS = '\u2212';

/** What was found, as `e164[;ext=…] ← "text as written"`, for readable failures. */
function find(text: string, region = 'RU', context?: TextContext): string[] {
  const options: DetectOptions = { defaultRegion: region, ...(context ? { context } : {}) };
  return detectPhoneNumbers(text, options).map(
    (d) => `${d.e164}${d.ext ? `;ext=${d.ext}` : ''} ← ${text.slice(d.start, d.end)}`,
  );
}

describe('detectPhoneNumbers', () => {
  it.each([
    { text: '+7 (916) 123-45-67', found: ['+79161234567 ← +7 (916) 123-45-67'] },
    { text: 'Тел.: 8 916 123 45 67, звоните', found: ['+79161234567 ← 8 916 123 45 67'] },
    { text: '89161234567', found: ['+79161234567 ← 89161234567'] },
    { text: '79161234567', found: ['+79161234567 ← 79161234567'] },
    { text: '(495) 123-45-67', found: ['+74951234567 ← (495) 123-45-67'] },
    { text: '8 (34342) 2-12-34', found: ['+73434221234 ← 8 (34342) 2-12-34'] },
    { text: `+7${NBSP}916${THIN}123${NNBSP}45${EN}67`, found: [`+79161234567 ← +7${NBSP}916${THIN}123${NNBSP}45${EN}67`] },
    { text: `8 916 123${MINUS}45${MINUS}67`, found: [`+79161234567 ← 8 916 123${MINUS}45${MINUS}67`] },
    { text: '+44 (0)20 7946 0958', found: ['+442079460958 ← +44 (0)20 7946 0958'] },
    { text: '00 49 30 12345678', found: ['+493012345678 ← 00 49 30 12345678'] },
    { text: '8 916 123-45-67, 8 495 123-45-67', found: ['+79161234567 ← 8 916 123-45-67', '+74951234567 ← 8 495 123-45-67'] },
    { text: '12.03.2024 89161234567', found: ['+79161234567 ← 89161234567'] },
    { text: '7707083893 8 916 123 45 67', found: ['+79161234567 ← 8 916 123 45 67'] },
  ])('finds $text (Russia)', ({ text, found }) => {
    expect(find(text)).toEqual(found);
  });

  it.each([
    { text: '(212) 555-0100', region: 'US', found: ['+12125550100 ← (212) 555-0100'] },
    { text: '212.555.0100', region: 'US', found: ['+12125550100 ← 212.555.0100'] },
    { text: '1-800-555-0199', region: 'US', found: ['+18005550199 ← 1-800-555-0199'] },
    { text: '020 7946 0958', region: 'GB', found: ['+442079460958 ← 020 7946 0958'] },
    { text: '030/12345678', region: 'DE', found: ['+493012345678 ← 030/12345678'] },
    { text: '01.23.45.67.89', region: 'FR', found: ['+33123456789 ← 01.23.45.67.89'] },
    { text: '(044) 123-45-67', region: 'UA', found: ['+380441234567 ← (044) 123-45-67'] },
    { text: '8 (7172) 12-34-56', region: 'KZ', found: ['+77172123456 ← 8 (7172) 12-34-56'] },
    { text: '8 029 123-45-67', region: 'BY', found: ['+375291234567 ← 8 029 123-45-67'] },
    { text: '+7 916 123-45-67', region: 'XX', found: ['+79161234567 ← +7 916 123-45-67'] },
    { text: '8 916 123-45-67', region: 'XX', found: [] },
  ])('finds $text with $region as the default region', ({ text, region, found }) => {
    expect(find(text, region)).toEqual(found);
  });

  it.each([
    { text: '+7 495 123-45-67 доб. 123', found: ['+74951234567;ext=123 ← +7 495 123-45-67 доб. 123'] },
    { text: '8 (495) 123-45-67 (вн. 12) и всё', found: ['+74951234567;ext=12 ← 8 (495) 123-45-67 (вн. 12)'] },
    { text: '+1 212 555 0100 x45', found: ['+12125550100;ext=45 ← +1 212 555 0100 x45'] },
    { text: '+7 495 123-45-67 #501', found: ['+74951234567;ext=501 ← +7 495 123-45-67 #501'] },
    { text: '+7 495 123-45-67 доб. 1234567', found: ['+74951234567 ← +7 495 123-45-67'] },
  ])('keeps the extension of $text apart', ({ text, found }) => {
    expect(find(text)).toEqual(found);
  });

  it.each([
    { text: '12.03.2024', why: 'date' },
    { text: '2024-03-12T14:30:00Z', why: 'timestamp' },
    { text: '1710252000', why: 'unix time' },
    { text: '9 876 543 210 ₽', why: 'amount' },
    { text: 'Итого: 89161234567 руб.', why: 'phone-shaped amount' },
    { text: '89161234567.50', why: 'decimal' },
    { text: 'Заказ №89161234567', why: 'order number' },
    { text: 'ИНН 7707083893', why: 'INN' },
    { text: '7707083893', why: 'bare 10 digits, no label' },
    { text: '112-233-445 95', why: 'SNILS' },
    { text: '45 06 123456', why: 'passport' },
    { text: '4276 1234 5678 9012', why: 'card' },
    { text: '192.168.100.200', why: 'IP address' },
    { text: '10.0.19045.3803', why: 'version' },
    { text: '55.755826, 37.617300', why: 'coordinates' },
    { text: 'ivan89161234567@mail.ru', why: 'e-mail' },
    { text: 'https://wa.me/79161234567', why: 'URL' },
    { text: '978-5-699-12014-7', why: 'ISBN' },
    { text: '(415) 555-2671', why: 'US grouping without +1 under Russia' },
    { text: '+7 123 456 78 90', why: 'invalid number' },
    { text: '123-45-67', why: 'local number without area code' },
  ])('rejects $text ($why)', ({ text }) => {
    expect(find(text)).toEqual([]);
  });

  describe('context', () => {
    it.each([
      { text: '9161234567', context: { label: 'Телефон' }, found: ['+79161234567 ← 9161234567'] },
      { text: '9161234567', context: { label: 'Mobile phone' }, found: ['+79161234567 ← 9161234567'] },
      { text: '9161234567', context: { fromTelLink: true }, found: ['+79161234567 ← 9161234567'] },
      { text: '9161234567', context: { fromInput: true, label: 'tel | phone' }, found: ['+79161234567 ← 9161234567'] },
      { text: '9161234567', context: {}, found: [] },
      { text: '9161234567', context: { fromInput: true, label: 'text | CFV[1]' }, found: [] },
      { text: '79161234567', context: { label: 'ИНН' }, found: [] },
      { text: '8 800 555-35-35', context: { label: 'Номер заказа' }, found: ['+78005553535 ← 8 800 555-35-35'] },
      { text: '+7 916 123-45-67', context: { label: 'ИНН' }, found: ['+79161234567 ← +7 916 123-45-67'] },
    ])('$context: $text → $found', ({ text, context, found }) => {
      expect(find(text, 'RU', context)).toEqual(found);
    });

    it.each([
      { text: 'Тел. 9161234567', found: ['+79161234567 ← 9161234567'] },
      { text: 'Телефоны: 9161234567, 4951234567', found: ['+79161234567 ← 9161234567', '+74951234567 ← 4951234567'] },
      { text: 'ИНН 7707083893, тел. 9161234567', found: ['+79161234567 ← 9161234567'] },
      { text: 'Вопросы по заказу: 8 800 555-35-35', found: ['+78005553535 ← 8 800 555-35-35'] },
      { text: 'Номер заказа: 79161234567', found: [] },
      { text: 'Заказ № 8 916 123 45 67', found: [] },
      { text: 'Phone no. 9161234567', found: ['+79161234567 ← 9161234567'] },
    ])('reads the label written before the number: $text', ({ text, found }) => {
      expect(find(text)).toEqual(found);
    });
  });

  it('reports offsets into the original text, Unicode separators included', () => {
    const text = `Звоните:${NBSP}+7${NBSP}(916)${NBSP}123${EN}45${EN}67 доб. 5!`;
    const [found] = detectPhoneNumbers(text, { defaultRegion: 'RU' });
    expect(found).toEqual({ start: 9, end: text.length - 1, e164: '+79161234567', ext: '5' });
    expect(text.slice(found!.start, found!.end)).toBe(`+7${NBSP}(916)${NBSP}123${EN}45${EN}67 доб. 5`);
  });

  it('returns nothing for text with fewer than seven digits', () => {
    expect(detectPhoneNumbers('Звоните 112 или 01, 02, 03', { defaultRegion: 'RU' })).toEqual([]);
  });
});
