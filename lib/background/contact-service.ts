import { browser } from '#imports';
import type { CallerLookup } from '@/lib/background/caller-lookup';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import { parseContactsCsv } from '@/lib/crm/local/contact-csv';
import { importContacts } from '@/lib/crm/local/contact-import';
import { parseContactsVcard } from '@/lib/crm/local/contact-vcard';
import { ContactDraftError, deleteLocalContact, saveLocalContact, type ContactDraft } from '@/lib/crm/local/local-contacts';
import type { AppDb } from '@/lib/db/app-db';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import type { ContactsImportResult } from '@/lib/messaging/options-to-background';

/** {@link createContactService}'s dependencies. */
export interface ContactServiceOptions {
  db: AppDb;
  lookup: CallerLookup;
  region: () => Promise<string>;
  now?: () => number;
}

/** The background's side of local contacts, the caller lookup and "Open in CRM". */
export function createContactService(options: ContactServiceOptions) {
  const { db, lookup } = options;
  const now = options.now ?? Date.now;
  const ids = () => {
    const at = now();
    return () => timeOrderedId(at, crypto.randomUUID());
  };
  return {
    async lookupCaller({ number }: { number: string }) {
      const { numberKey, matches, chosen } = await lookup.lookupCaller(number);
      return { numberKey, matches, chosen };
    },
    async chooseCaller({ number, ref }: { number: string; ref: CrmEntityRef }) {
      await lookup.chooseCaller(number, ref);
      return null;
    },
    async saveContact(draft: ContactDraft) {
      try {
        const contact = await saveLocalContact(db, draft, { region: await options.region(), now: now(), newId: ids() });
        return { ok: true as const, id: contact.id };
      } catch (error) {
        if (error instanceof ContactDraftError) return { ok: false as const, problem: error.reason };
        throw error;
      }
    },
    async deleteContact({ id }: { id: string }) {
      await deleteLocalContact(db, id);
      return null;
    },
    async importContacts({ text, format }: { text: string; format: 'csv' | 'vcard' }): Promise<ContactsImportResult> {
      const parsed = format === 'csv' ? parseContactsCsv(text) : parseContactsVcard(text);
      if (!parsed.ok) return parsed;
      const plan = await importContacts(db, parsed.contacts, { region: await options.region(), now: now(), newId: ids() });
      return { ok: true, added: plan.added, updated: plan.updated, skipped: plan.skipped };
    },
    /**
     * Focuses a tab that already shows the record, or opens one. Tab addresses are only visible
     * for sites the extension has access to (the connected CRM), so elsewhere a new tab opens.
     */
    async openCrmRecord({ url }: { url: string }) {
      const tabs = await browser.tabs.query({});
      const open = tabs.find((tab) => tab.url === url);
      if (open?.id !== undefined) {
        await browser.tabs.update(open.id, { active: true });
        if (open.windowId !== undefined) await browser.windows.update(open.windowId, { focused: true });
      } else {
        await browser.tabs.create({ url });
      }
      return null;
    },
  };
}
