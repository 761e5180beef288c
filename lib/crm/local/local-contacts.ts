import type { AppDb } from '@/lib/db/app-db';
import type { ContactRecord } from '@/lib/db/contact-record';
import { cleanField, MAX_NOTE_LENGTH } from '@/lib/crm/local/contact-file';
import { numberKeyOf } from '@/lib/history/number-key';
import { Exception } from '@/lib/util/exception';

/** A contact as the panel's form sends it. */
export interface ContactDraft {
  /** Absent: a new contact. */
  id?: string;
  name: string;
  company?: string;
  phones: string[];
  email?: string;
  note?: string;
}

/** Why a contact could not be saved; `reason` picks the words. */
export class ContactDraftError extends Exception {
  constructor(readonly reason: 'no-name' | 'no-phone' | 'not-found') {
    super(`contact not saved: ${reason}`);
  }
}

/**
 * Adds or edits a local contact from the panel ("Add contact" on a number's timeline or an
 * unknown caller's card, "Edit" on a known one). Numbers are stored as number keys, so the
 * caller lookup and the history find it however the number was typed.
 */
export async function saveLocalContact(
  db: AppDb,
  draft: ContactDraft,
  options: { region: string; now: number; newId: () => string },
): Promise<ContactRecord> {
  const name = cleanField(draft.name);
  if (!name) throw new ContactDraftError('no-name');
  const numbers = [
    ...new Set(
      draft.phones
        .map((phone) => cleanField(phone))
        .filter((phone): phone is string => phone !== undefined)
        .map((phone) => numberKeyOf(phone, options.region).key),
    ),
  ];
  if (numbers.length === 0) throw new ContactDraftError('no-phone');
  return db.transaction('rw', db.contacts, async () => {
    const known = draft.id ? await db.contacts.get(draft.id) : undefined;
    if (draft.id && known?.source !== 'local') throw new ContactDraftError('not-found');
    const contact: ContactRecord = {
      id: known?.id ?? options.newId(),
      name,
      company: cleanField(draft.company),
      numbers,
      source: 'local',
      email: cleanField(draft.email),
      note: cleanField(draft.note, MAX_NOTE_LENGTH),
      updatedAt: options.now,
    };
    await db.contacts.put(contact);
    return contact;
  });
}

/** Deletes a local contact (CRM records in the cache are the CRM's to delete). */
export async function deleteLocalContact(db: AppDb, id: string): Promise<void> {
  await db.transaction('rw', db.contacts, async () => {
    const contact = await db.contacts.get(id);
    if (contact?.source === 'local') await db.contacts.delete(id);
  });
}
