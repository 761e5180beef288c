import type { AppDb } from '@/lib/db/app-db';
import type { ContactRecord } from '@/lib/db/contact-record';
import type { ParsedContact } from '@/lib/crm/local/contact-file';
import { numberKeyOf } from '@/lib/history/number-key';

/** Why one row or card of a contacts file was not imported. */
export type ContactSkipReason =
  /** Neither a name nor a company. */
  | 'no-name'
  /** No phone number at all. */
  | 'no-phone'
  /** A phone number that does not read as a phone number or an extension (`detail`: the number). */
  | 'bad-phone'
  /** A field that starts like a spreadsheet formula (`=`, `@`, `+`/`-` before a letter). */
  | 'formula'
  /** A number an earlier row already has (`detail`: that row). */
  | 'duplicate';

/** A row or card that was skipped, for the worded report. */
export interface SkippedContact {
  at: number;
  reason: ContactSkipReason;
  detail?: string;
}

/** What an import will write, and what it skipped. */
export interface ContactImportPlan {
  /** Whole contacts to put, new ones and updated local ones (each row is all or nothing). */
  contacts: ContactRecord[];
  added: number;
  updated: number;
  skipped: SkippedContact[];
}

// A cell a spreadsheet would run as a formula when the list is exported again (CSV injection).
// A leading `+` before a digit is a phone number, not a formula.
const FORMULA = /^[=@]|^[+-]\s*[^\d\s]/;

/** An extension: a short run of digits. */
const EXTENSION = /^\d{2,6}$/;

/**
 * Checks parsed contacts and plans their import: every number read into its number key (E.164
 * with `region` for national forms), a row with a bad number, no name or a formula-like field
 * skipped whole, a number seen in an earlier row skipped as a duplicate, and a local contact that
 * already has one of the numbers updated instead of duplicated. Pure apart from `existingFor`.
 */
export async function planContactImport(
  parsed: ParsedContact[],
  options: {
    region: string;
    now: number;
    newId: () => string;
    /** Stored contacts with any of these number keys. */
    existingFor: (keys: string[]) => Promise<ContactRecord[]>;
  },
): Promise<ContactImportPlan> {
  const skipped: SkippedContact[] = [];
  const firstRowOf = new Map<string, number>();
  const accepted: { row: ParsedContact; name: string; keys: string[] }[] = [];
  for (const row of parsed) {
    const name = row.name || row.company || '';
    if (name === '') {
      skipped.push({ at: row.at, reason: 'no-name' });
      continue;
    }
    if ([row.name, row.company, row.email, row.note].some((field) => field !== undefined && FORMULA.test(field))) {
      skipped.push({ at: row.at, reason: 'formula' });
      continue;
    }
    if (row.phones.length === 0) {
      skipped.push({ at: row.at, reason: 'no-phone' });
      continue;
    }
    const keys: string[] = [];
    const bad = row.phones.find((phone) => {
      const identity = numberKeyOf(phone, options.region);
      if (!identity.e164 && !EXTENSION.test(identity.key)) return true;
      if (!keys.includes(identity.key)) keys.push(identity.key);
      return false;
    });
    if (bad !== undefined) {
      skipped.push({ at: row.at, reason: 'bad-phone', detail: bad });
      continue;
    }
    const earlier = keys.map((key) => firstRowOf.get(key)).find((at) => at !== undefined);
    if (earlier !== undefined) {
      skipped.push({ at: row.at, reason: 'duplicate', detail: String(earlier) });
      continue;
    }
    for (const key of keys) firstRowOf.set(key, row.at);
    accepted.push({ row, name, keys });
  }
  const existing = await options.existingFor([...firstRowOf.keys()]);
  const localByKey = new Map<string, ContactRecord>();
  for (const contact of existing) {
    if (contact.source !== 'local') continue;
    for (const key of contact.numbers) localByKey.set(key, contact);
  }
  let updated = 0;
  const contacts = accepted.map(({ row, name, keys }): ContactRecord => {
    const known = keys.map((key) => localByKey.get(key)).find((c) => c !== undefined);
    if (known) updated++;
    return {
      id: known?.id ?? options.newId(),
      name,
      company: row.name ? row.company : undefined,
      numbers: known ? [...new Set([...known.numbers, ...keys])] : keys,
      source: 'local',
      email: row.email ?? known?.email,
      note: row.note ?? known?.note,
      updatedAt: options.now,
    };
  });
  return { contacts, added: contacts.length - updated, updated, skipped };
}

/** Plans and writes an import in one transaction: the valid rows all, or (on any failure) nothing. */
export function importContacts(
  db: AppDb,
  parsed: ParsedContact[],
  options: { region: string; now: number; newId: () => string },
): Promise<ContactImportPlan> {
  return db.transaction('rw', db.contacts, async () => {
    const plan = await planContactImport(parsed, {
      ...options,
      existingFor: (keys) => db.contacts.where('numbers').anyOf(keys).distinct().toArray(),
    });
    await db.contacts.bulkPut(plan.contacts);
    return plan;
  });
}
