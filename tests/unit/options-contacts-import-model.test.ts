import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ContactsImportResult } from '@/lib/messaging/options-to-background';
import { createContactsImportModel } from '@/lib/options/contacts-import-model';

const file = (name: string, bytes: Uint8Array) => ({ name, arrayBuffer: async () => bytes.slice().buffer });
const text = (name: string, content: string) => file(name, new TextEncoder().encode(content));

function setup(result: ContactsImportResult) {
  const client = { importContacts: vi.fn(async () => result) };
  return { client, model: createContactsImportModel({ client }) };
}

beforeEach(() => fakeBrowser.reset());

describe('createContactsImportModel', () => {
  it('sends a CSV and reports the counts and each skipped row in words', async () => {
    const { client, model } = setup({
      ok: true,
      added: 2,
      updated: 1,
      skipped: [
        { at: 4, reason: 'bad-phone', detail: 'call me' },
        { at: 6, reason: 'duplicate', detail: '2' },
      ],
    });
    await model.importFile(text('contacts.csv', 'name,phone\nA,101'));
    expect(client.importContacts).toHaveBeenCalledWith({ text: 'name,phone\nA,101', format: 'csv' });
    expect(model.state.value).toEqual({
      state: 'done',
      fileName: 'contacts.csv',
      summary: 'Added 2, updated 1, skipped 2.',
      skipped: ['Row 4: “call me” is not a phone number.', 'Row 6: the same number as row 2.'],
    });
  });

  it('sends a vCard as vCard and counts cards, not rows', async () => {
    const { client, model } = setup({ ok: true, added: 0, updated: 0, skipped: [{ at: 1, reason: 'no-phone' }] });
    await model.importFile(text('export.txt', 'BEGIN:VCARD\nFN:A\nEND:VCARD'));
    expect(client.importContacts).toHaveBeenCalledWith(expect.objectContaining({ format: 'vcard' }));
    expect(model.state.value).toMatchObject({ skipped: ['Card 1: no phone number.'] });
  });

  it('refuses a file in another encoding without asking the background', async () => {
    const { client, model } = setup({ ok: true, added: 0, updated: 0, skipped: [] });
    await model.importFile(file('old.csv', new Uint8Array([0xc8, 0xec, 0xff, 0x3b])));
    expect(client.importContacts).not.toHaveBeenCalled();
    expect(model.state.value).toMatchObject({ state: 'invalid', message: expect.stringContaining('UTF-8') });
  });

  it('words a file the background could not read', async () => {
    const { model } = setup({ ok: false, error: 'no-phone-column' });
    await model.importFile(text('x.csv', 'name\nA'));
    expect(model.state.value).toMatchObject({ state: 'invalid', message: expect.stringContaining('phone numbers') });
  });
});
