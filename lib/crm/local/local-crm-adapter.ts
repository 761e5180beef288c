import { CrmError, type CrmAdapter, type CrmCard, type CrmEntityRef, type CrmMatch } from '@/lib/crm/crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { ContactRecord } from '@/lib/db/contact-record';
import { numberKeyOf } from '@/lib/history/number-key';

/** The card of a local contact. */
export function localCardOf(contact: ContactRecord): CrmCard {
  return {
    ref: { crm: 'local', kind: 'contact', id: contact.id },
    name: contact.name,
    company: contact.company,
    phones: contact.numbers,
    openDeals: [],
  };
}

/**
 * The CRM of an agent without one: the contacts they imported or typed in, in the `contacts`
 * table (`source: 'local'`). The call history is already its call log, so writes that a real CRM
 * would store (calls, inbox entries) are acknowledged without a second copy; notes go into the
 * contact's note.
 */
export function createLocalCrmAdapter(db: AppDb, region: () => Promise<string>): CrmAdapter {
  const contactOf = async (ref: CrmEntityRef): Promise<ContactRecord> => {
    const contact = ref.crm === 'local' ? await db.contacts.get(ref.id) : undefined;
    if (!contact || contact.source !== 'local') throw new CrmError('not-found', `no local contact ${ref.id}`, 404);
    return contact;
  };
  return {
    kind: 'local',
    async lookupByPhone(phone): Promise<CrmMatch[]> {
      const { key } = numberKeyOf(phone, await region());
      const contacts = await db.contacts.where('numbers').equals(key).toArray();
      return contacts
        .filter((contact) => contact.source === 'local')
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map((contact) => ({ card: localCardOf(contact), matchedPhone: key }));
    },
    getCard: async (ref) => localCardOf(await contactOf(ref)),
    entityUrl: () => undefined,
    getTimeline: async () => [],
    logCall: async (call) => ({ externalId: call.callId }),
    async addNote(entity, text) {
      const contact = await contactOf(entity);
      const note = contact.note ? `${contact.note}\n${text}` : text;
      await db.contacts.update(contact.id, { note, updatedAt: Date.now() });
      return { externalId: contact.id };
    },
    createTask: async (task) => ({ externalId: task.key }),
    createInboxEntry: async (call) => ({ externalId: call.callId, created: [] }),
    currentUser: async () => ({ id: 'local', name: '' }),
  };
}
