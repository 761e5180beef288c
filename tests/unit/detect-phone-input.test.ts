import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { phoneInputValue } from '@/lib/detect/phone-input';

function input(attributes: string): Element {
  return parseHTML(`<input ${attributes}>`).document.querySelector('input')! as unknown as Element;
}

describe('phoneInputValue', () => {
  it.each([
    { attributes: 'type="tel" value="9161234567"', label: '', value: '9161234567' },
    { attributes: 'type="TEL" value="9161234567"', label: '', value: '9161234567' },
    { attributes: 'value="9161234567"', label: 'phone', value: '9161234567' },
    { attributes: 'type="text" value="9161234567"', label: 'Телефон', value: '9161234567' },
    { attributes: 'type="number" value="89161234567"', label: 'Mobile', value: '89161234567' },
    { attributes: 'type="unknown-type" value="+7 916 123-45-67"', label: '', value: '+7 916 123-45-67' },
    { attributes: 'value="+79161234567"', label: '', value: '+79161234567' },
    { attributes: 'value="8 (916) 123-45-67"', label: '', value: '8 (916) 123-45-67' },
    { attributes: 'value="+7\u00a0916\u00a0123\u201345\u201367"', label: '', value: '+7\u00a0916\u00a0123\u201345\u201367' },
    { attributes: 'value="+7 495 123-45-67 доб. 12"', label: '', value: '+7 495 123-45-67 доб. 12' },
    { attributes: 'value=" 8 916 123 45 67 "', label: '', value: ' 8 916 123 45 67 ' },
  ])('reads <input $attributes> labelled "$label"', ({ attributes, label, value }) => {
    expect(phoneInputValue(input(attributes), label)).toBe(value);
  });

  it.each([
    { attributes: 'type="hidden" value="+79161234567"', label: 'phone' },
    { attributes: 'type="password" value="+79161234567"', label: '' },
    { attributes: 'type="email" value="89161234567@mail.ru"', label: '' },
    { attributes: 'type="date" value="2024-03-12"', label: '' },
    { attributes: 'type="tel" value="112"', label: '' },
    { attributes: 'type="tel" value="7707083893"', label: 'ИНН' },
    { attributes: 'value="9161234567"', label: '' },
    { attributes: 'value="Иван 8 916 123-45-67"', label: '' },
    { attributes: 'value="1 500 000"', label: 'Бюджет' },
    { attributes: 'value="+7 916 123-45-67, +7 495 123-45-67, +7 800 555-35-35, +7 812 345-67-89"', label: '' },
  ])('leaves <input $attributes> labelled "$label" alone', ({ attributes, label }) => {
    expect(phoneInputValue(input(attributes), label)).toBeUndefined();
  });
});
