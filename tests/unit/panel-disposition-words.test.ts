import { describe, expect, it } from 'vitest';
import { STANDARD_DISPOSITIONS } from '@/lib/history/dispositions';
import { dispositionChoices, dispositionLabel } from '@/lib/panel/disposition-words';

describe('dispositionChoices', () => {
  it('offers the standard list, worded, when the team has none', () => {
    const choices = dispositionChoices([]);
    expect(choices.map((choice) => choice.value)).toEqual([...STANDARD_DISPOSITIONS]);
    expect(choices.find((choice) => choice.value === 'wrong-number')?.label).toBe('Wrong number');
  });

  it("offers the team's labels as they are, in their order", () => {
    expect(dispositionChoices(['Sale', 'Sent a quote'])).toEqual([
      { value: 'Sale', label: 'Sale' },
      { value: 'Sent a quote', label: 'Sent a quote' },
    ]);
  });

  it('keeps a call\'s disposition selectable when the list no longer has it', () => {
    expect(dispositionChoices(['Sale'], 'voicemail')).toEqual([
      { value: 'Sale', label: 'Sale' },
      { value: 'voicemail', label: 'Voicemail' },
    ]);
    expect(dispositionChoices(['Sale'], 'Sale')).toHaveLength(1);
  });
});

describe('dispositionLabel', () => {
  it.each([
    ['sale', 'Sale'],
    ['follow-up', 'Follow-up needed'],
    ['Счёт отправлен', 'Счёт отправлен'],
  ])('words %s as %s', (value, label) => {
    expect(dispositionLabel(value)).toBe(label);
  });
});
