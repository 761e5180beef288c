import { describe, expect, it } from 'vitest';
import { findBlockedRanges } from '@/lib/detect/blocked-ranges';
import { findDigitPieces } from '@/lib/detect/digit-pieces';
import { badLeftEdge, badRightEdge, hasAmountCue } from '@/lib/detect/edge-rules';
import { foldSeparators } from '@/lib/detect/fold-separators';
import { nonPhoneShape } from '@/lib/detect/non-phone-shape';

describe('nonPhoneShape', () => {
  const shapeOf = (text: string) => {
    const [piece] = findDigitPieces(foldSeparators(text), 1);
    return nonPhoneShape(piece!);
  };

  it.each([
    { text: '4276 1234 5678 9012', shape: 'card' },
    { text: '2200-1234-5678-9010', shape: 'card' },
    { text: '4276 1234 5678 9012 345', shape: 'card' },
    { text: '3782 822463 10005', shape: 'card' },
    { text: '4070 2810 9000 0001 2345', shape: 'card' },
    { text: '112-233-445 95', shape: 'snils' },
    { text: '112-233-445-95', shape: 'snils' },
    { text: '45 06 123456', shape: 'passport' },
    { text: '9 876 543 210', shape: 'thousands' },
    { text: '1.234.567.890', shape: 'thousands' },
    { text: '146 150 789', shape: 'thousands' },
    { text: '10.0.19045.3803', shape: 'dotted' },
    { text: '55.755826', shape: 'dotted' },
    { text: '2024.3.1.4567', shape: 'dotted' },
    { text: '122.0.6261.112', shape: 'dotted' },
  ])('$text is a $shape', ({ text, shape }) => {
    expect(shapeOf(text)).toBe(shape);
  });

  it.each([
    '+7 916 123 45 67',
    '8 (916) 123-45-67',
    '212.555.0100',
    '8.916.123.45.67',
    '01.23.45.67.89',
    '+7.916.123.45.67',
    '+44 20 7946 0958',
    '030 12345678',
    '+7 916 123 456',
  ])('%s could be a phone number', (text) => {
    expect(shapeOf(text)).toBeUndefined();
  });
});

describe('findBlockedRanges', () => {
  const blocked = (text: string) => findBlockedRanges(foldSeparators(text)).map((r) => text.slice(r.start, r.end));

  it.each([
    { text: 'Создано 12.03.2024 в 14:30', ranges: ['12.03.2024', '14:30'] },
    { text: 'с 2024-03-12 по 2024/03/15', ranges: ['2024-03-12', '2024/03/15'] },
    { text: 'до 12.03.24 включительно', ranges: ['12.03.24'] },
    { text: '03/12/2024 10:15:30.250', ranges: ['03/12/2024', '10:15:30.250'] },
    { text: 'ip 192.168.1.10:8080', ranges: ['192.168.1.10'] },
    { text: 'пишите ivan89161234567@mail.ru', ranges: ['ivan89161234567@mail.ru'] },
    { text: 'см. https://wa.me/79161234567 или www.site.ru/89161234567', ranges: ['https://wa.me/79161234567', 'www.site.ru/89161234567'] },
    { text: 'IBAN DE89 3704 0044 0532 0130 00', ranges: ['DE89 3704 0044 0532 0130 00'] },
  ])('blocks in "$text": $ranges', ({ text, ranges }) => {
    expect(blocked(text)).toEqual(ranges);
  });

  it.each([
    '916.123.45.67',
    '8-912-03-20-24',
    '+7 916 123-45-67',
    '300.400.500.600',
    'tel:+79161234567',
    '@ 89161234567',
  ])('blocks nothing in %s', (text) => {
    expect(blocked(text)).toEqual([]);
  });
});

describe('edge rules', () => {
  // "[" and "]" mark where the candidate starts and ends in each text.
  const edges = (marked: string) => {
    const start = marked.indexOf('[');
    const end = marked.indexOf(']') - 1;
    const text = marked.replace('[', '').replace(']', '');
    return { text, start, end };
  };

  it.each([
    { marked: 'ИНН[7707083893]', left: true, right: false },
    { marked: 'ID-[9161234567]', left: true, right: false },
    { marked: '3.[9161234567]', left: true, right: false },
    { marked: '#[89161234567]', left: true, right: false },
    { marked: '=[79161234567]&', left: true, right: true },
    { marked: '$[1234567]', left: true, right: false },
    { marked: 'тел.[89161234567]', left: false, right: false },
    { marked: 'тел:[89161234567]', left: false, right: false },
    { marked: '₽[+79161234567]', left: false, right: false },
    { marked: '?q=[+79161234567]', left: true, right: false },
    { marked: '[89161234567]abc', left: false, right: true },
    { marked: '[89161234567].50', left: false, right: true },
    { marked: '[89161234567],5', left: false, right: true },
    { marked: '[89161234567],84951234567', left: false, right: false },
    { marked: '89161234567,[84951234567]', left: false, right: false },
    { marked: '[1234567]:8080', left: false, right: true },
    { marked: '[89161234567]@mail.ru', left: false, right: true },
    { marked: '[89161234567]%', left: false, right: true },
    { marked: '«[89161234567]»', left: false, right: false },
    { marked: '([89161234567])', left: false, right: false },
  ])('$marked: bad left $left, bad right $right', ({ marked, left, right }) => {
    const { text, start, end } = edges(marked);
    expect(badLeftEdge(text, start)).toBe(left);
    expect(badRightEdge(text, end)).toBe(right);
  });

  it.each([
    { marked: '[9876543210] ₽', amount: true },
    { marked: '[1500000] руб.', amount: true },
    { marked: '[1500000]р', amount: true },
    { marked: '[123456789] тыс.', amount: true },
    { marked: 'USD [12345678]', amount: true },
    { marked: '$ [12345678]', amount: true },
    { marked: '49 990 ₽ [+79161234567]', amount: false },
    { marked: '[89161234567] Иван', amount: false },
    { marked: '[89161234567] рабочий', amount: false },
  ])('$marked: amount cue $amount', ({ marked, amount }) => {
    const { text, start, end } = edges(marked);
    expect(hasAmountCue(text, start, end)).toBe(amount);
  });
});
