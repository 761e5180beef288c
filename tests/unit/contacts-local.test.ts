import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { importContacts } from '@/lib/crm/local/contact-import';
import type { ParsedContact } from '@/lib/crm/local/contact-file';
import { deleteLocalContact, saveLocalContact } from '@/lib/crm/local/local-contacts';
import { createLocalCrmAdapter } from '@/lib/crm/local/local-crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import { openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
let next = 0;
const options = () => ({ region: 'RU', now: T0, newId: () => `c${++next}` });
const row = (at: number, overrides: Partial<ParsedContact> = {}): ParsedContact => ({
  at,
  name: `Person ${at}`,
  phones: [`+7 916 000-00-${String(at).padStart(2, '0')}`],
  ...overrides,
});

beforeEach(() => {
  fakeBrowser.reset();
  db = openTestDb();
  next = 0;
});

describe('importContacts', () => {
  it('stores numbers as number keys, so a national form finds the contact', async () => {
    const plan = await importContacts(db, [row(2, { phones: ['8 (916) 123-45-67', '101'], company: 'Acme' })], options());
    expect(plan).toMatchObject({ added: 1, updated: 0, skipped: [] });
    const adapter = createLocalCrmAdapter(db, async () => 'RU');
    const [match] = await adapter.lookupByPhone('+79161234567');
    expect(match?.card).toMatchObject({ name: 'Person 2', company: 'Acme', phones: ['+79161234567', '101'] });
  });

  it.each([
    ['no name and no company', row(3, { name: '' }), 'no-name', undefined],
    ['no phone', row(3, { phones: [] }), 'no-phone', undefined],
    ['a number that is not one', row(3, { phones: ['+7 916 000-00-01', 'call me'] }), 'bad-phone', 'call me'],
    ['a formula in the name', row(3, { name: '=HYPERLINK("http://x","y")' }), 'formula', undefined],
    ['a formula in the note', row(3, { note: '@SUM(A1)' }), 'formula', undefined],
    ['a minus-led formula', row(3, { company: '-cmd|calc' }), 'formula', undefined],
    ['a number of an earlier row', row(3, { phones: ['89160000002'] }), 'duplicate', '2'],
  ])('skips a row with %s whole and says why', async (_, bad, reason, detail) => {
    const plan = await importContacts(db, [row(2), bad], options());
    expect(plan.skipped).toEqual([{ at: 3, reason, ...(detail ? { detail } : {}) }]);
    expect(await db.contacts.count()).toBe(1);
  });

  it('keeps a phone-like leading + (not a formula)', async () => {
    expect((await importContacts(db, [row(2, { phones: ['+79161234567'] })], options())).skipped).toEqual([]);
  });

  it('names a company-only row after the company', async () => {
    await importContacts(db, [row(2, { name: '', company: 'Acme' })], options());
    expect(await db.contacts.toArray()).toMatchObject([{ name: 'Acme', company: undefined }]);
  });

  it('updates a local contact with the same number instead of adding a second one', async () => {
    await importContacts(db, [row(2, { phones: ['+79161234567'], note: 'first' })], options());
    const plan = await importContacts(db, [row(5, { name: 'Alice', phones: ['89161234567', '+74951112233'] })], options());
    expect(plan).toMatchObject({ added: 0, updated: 1 });
    expect(await db.contacts.toArray()).toMatchObject([
      { id: 'c1', name: 'Alice', numbers: ['+79161234567', '+74951112233'], note: 'first' },
    ]);
  });
});

describe('local contacts from the panel', () => {
  it('adds, edits and deletes a contact', async () => {
    const added = await saveLocalContact(db, { name: ' Alice ', phones: ['8 916 123 45 67'] }, options());
    expect(added).toMatchObject({ name: 'Alice', numbers: ['+79161234567'], source: 'local' });
    await saveLocalContact(db, { id: added.id, name: 'Alice', company: 'Acme', phones: ['+79161234567'] }, options());
    expect(await db.contacts.get(added.id)).toMatchObject({ company: 'Acme' });
    await deleteLocalContact(db, added.id);
    expect(await db.contacts.count()).toBe(0);
  });

  it.each([
    ['no name', { name: ' ', phones: ['101'] }, 'no-name'],
    ['no number', { name: 'A', phones: [' '] }, 'no-phone'],
    ['an id that is not a local contact', { id: 'nope', name: 'A', phones: ['101'] }, 'not-found'],
  ])('refuses a contact with %s', async (_, draft, reason) => {
    await expect(saveLocalContact(db, draft, options())).rejects.toMatchObject({ reason });
  });
});

describe('createLocalCrmAdapter', () => {
  it('answers getCard for a local contact and not-found otherwise; appends notes', async () => {
    const adapter = createLocalCrmAdapter(db, async () => 'RU');
    const alice = await saveLocalContact(db, { name: 'Alice', phones: ['101'] }, options());
    const ref = { crm: 'local' as const, kind: 'contact' as const, id: alice.id };
    expect(await adapter.getCard(ref)).toMatchObject({ name: 'Alice', openDeals: [] });
    await adapter.addNote(ref, 'one');
    await adapter.addNote(ref, 'two');
    expect((await db.contacts.get(alice.id))?.note).toBe('one\ntwo');
    await expect(adapter.getCard({ ...ref, id: 'gone' })).rejects.toMatchObject({ kind: 'not-found' });
    expect(await adapter.lookupByPhone('999')).toEqual([]);
  });
});
