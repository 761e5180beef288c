import { describe, expect, it } from 'vitest';
import { classifyInlineLabel, classifyLabel } from '@/lib/detect/context-labels';

describe('classifyLabel', () => {
  it.each([
    { label: 'Телефон', verdict: 'phone' },
    { label: 'Номер телефона', verdict: 'phone' },
    { label: 'Раб. тел.', verdict: 'phone' },
    { label: 'Моб.', verdict: 'phone' },
    { label: 'Мобильный', verdict: 'phone' },
    { label: 'Факс', verdict: 'phone' },
    { label: 'Phone Number', verdict: 'phone' },
    { label: 'Mobile', verdict: 'phone' },
    { label: 'tel | contact Phone', verdict: 'phone' },
    { label: 'Telefon', verdict: 'phone' },
    { label: 'Téléphone', verdict: 'phone' },
    { label: 'Phone No.', verdict: 'phone' },
    { label: 'ИНН', verdict: 'not-phone' },
    { label: 'ОГРНИП', verdict: 'not-phone' },
    { label: 'Р/с', verdict: 'not-phone' },
    { label: 'Номер заказа', verdict: 'not-phone' },
    { label: 'Сделка', verdict: 'not-phone' },
    { label: 'Сумма', verdict: 'not-phone' },
    { label: 'Дата создания', verdict: 'not-phone' },
    { label: 'Order #', verdict: 'not-phone' },
    { label: '№', verdict: 'not-phone' },
    { label: 'Record ID', verdict: 'not-phone' },
    { label: 'IP', verdict: 'not-phone' },
    { label: 'Amount', verdict: 'not-phone' },
    { label: 'Zip code', verdict: 'not-phone' },
    { label: 'Дата звонка', verdict: undefined },
    { label: 'Контакт', verdict: undefined },
    { label: 'Иван Петров', verdict: undefined },
    { label: 'hotel', verdict: undefined },
    { label: 'Сотрудник', verdict: undefined },
    { label: 'Центр', verdict: undefined },
    { label: 'ИП Иванов', verdict: undefined },
    { label: '', verdict: undefined },
  ])('$label → $verdict', ({ label, verdict }) => {
    expect(classifyLabel(label)).toBe(verdict);
    // Remembered verdicts are the same verdicts.
    expect(classifyLabel(label)).toBe(verdict);
  });
});

describe('classifyInlineLabel', () => {
  it.each([
    { before: 'Тел.: ', verdict: 'phone' },
    { before: 'ИНН 7707083893, тел. ', verdict: 'phone' },
    { before: 'тел. ИНН ', verdict: 'not-phone' },
    { before: 'Звоните по вопросам заказа: ', verdict: 'not-phone' },
    { before: 'По вопросам заказа звоните ', verdict: 'phone' },
    { before: 'Заказ №', verdict: 'identifier' },
    { before: 'Order # ', verdict: 'identifier' },
    { before: 'Contract No. ', verdict: 'identifier' },
    { before: 'Phone no. ', verdict: 'phone' },
    { before: 'Иван Петров, ', verdict: undefined },
    { before: '', verdict: undefined },
  ])('"$before" → $verdict', ({ before, verdict }) => {
    expect(classifyInlineLabel(before)).toBe(verdict);
  });
});
