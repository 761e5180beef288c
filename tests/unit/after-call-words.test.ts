import { afterEach, describe, expect, it } from 'vitest';
import { dispositionNoteText, dispositionWords } from '@/lib/background/after-call-words';
import { setLocale } from '@/lib/i18n/i18n';

describe('dispositions as the CRM reads them', () => {
  afterEach(() => setLocale('en'));

  it('a standard code is worded in the agent’s language; a team’s own label stays as it is', () => {
    setLocale('en');
    expect(dispositionWords('follow-up')).toBe('Follow-up needed');
    expect(dispositionWords(' resolved ')).toBe('Resolved');
    expect(dispositionWords('Demo booked')).toBe('Demo booked');
    expect(dispositionWords('  ')).toBeUndefined();
    expect(dispositionWords(undefined)).toBeUndefined();
    setLocale('ru');
    expect(dispositionWords('resolved')).toBe('Вопрос решён');
  });

  it('the answered-call note carries the worded disposition and the agent’s note', () => {
    setLocale('en');
    expect(dispositionNoteText('sale', 'Invoice tomorrow')).toBe('Call result: Sale\nNote: Invoice tomorrow');
    expect(dispositionNoteText(undefined, '  ')).toBeUndefined();
  });
});
