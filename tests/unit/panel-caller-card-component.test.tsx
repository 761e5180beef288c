import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallerCard, type CallerCardProps } from '@/components/panel/caller-card';
import type { CallerView } from '@/lib/panel/caller-card-model';

/** Preact renders through the global `document`: a linkedom one for each story. */
let root: HTMLElement;
const saved = globalThis.document;

beforeEach(() => {
  const { document } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  globalThis.document = document as unknown as Document;
  root = document.getElementById('root') as unknown as HTMLElement;
});

afterEach(() => {
  render(null, root);
  globalThis.document = saved;
});

function show(caller: CallerView, props: Partial<CallerCardProps> = {}) {
  const handlers = {
    onChoose: vi.fn(),
    onOpenInCrm: vi.fn(),
    onOpenForm: vi.fn(),
    onEditForm: vi.fn(),
    onSaveForm: vi.fn(),
    onCloseForm: vi.fn(),
    onOpenCrmForm: vi.fn(),
    ...props,
  };
  render(<CallerCard caller={caller} {...handlers} />, root);
  const find = (testId: string) => root.querySelector(`[data-testid="${testId}"]`) as HTMLButtonElement | HTMLInputElement | null;
  return { handlers, find };
}

describe('CallerCard for an unknown caller', () => {
  it('with a CRM that creates records: Create contact and Create lead, no Add contact', () => {
    const { handlers, find } = show({ number: '+79035550102', status: 'unknown', deals: [], crmCreates: ['contact', 'lead'] });
    expect(find('caller-add')).toBeNull();
    expect(find('caller-create-contact')?.textContent).toBe('Create contact');
    (find('caller-create-lead') as HTMLButtonElement).click();
    expect(handlers.onOpenCrmForm).toHaveBeenCalledWith('lead');
  });

  it('with local contacts only: Add contact, as before', () => {
    const { find } = show({ number: '+79035550102', status: 'unknown', deals: [] });
    expect(find('caller-add')?.textContent).toBe('Add contact');
    expect(find('caller-create-contact')).toBeNull();
  });

  it('the Create lead form: lead name, contact name and company; the button is disabled while saving', () => {
    const form = { name: 'Анна', company: '', phone: '+79035550102', saving: true, crm: 'lead' as const, leadName: 'Call from +79035550102' };
    const { find } = show({ number: '+79035550102', status: 'unknown', deals: [], crmCreates: ['contact', 'lead'], form });
    expect((find('lead-name') as HTMLInputElement).value).toBe('Call from +79035550102');
    expect((find('contact-name') as HTMLInputElement).value).toBe('Анна');
    expect((find('contact-company') as HTMLInputElement).value).toBe('');
    const save = find('contact-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(save.textContent).toBe('Creating…');
  });
});
