import Dexie, { type DexieOptions, type EntityTable, type Transaction } from 'dexie';
import { callbackTimes, type CallLink } from '@/lib/db/callback-links';
import type { CallRecord } from '@/lib/db/call-record';
import type { ContactRecord } from '@/lib/db/contact-record';
import type { DayTotalsRecord } from '@/lib/db/day-totals-record';
import type { MessageRecord } from '@/lib/db/message-record';
import type { NoteRecord } from '@/lib/db/note-record';
import { mergeNumberEntry, type NumberEntry } from '@/lib/db/number-entry';
import type { RecordingRecord } from '@/lib/db/recording-record';
import type { TaskRecord } from '@/lib/db/task-record';
import { toWords } from '@/lib/db/words';
import { buildDayTotals, daySpans } from '@/lib/history/day-totals';
import { createLocalClock, localDayOf } from '@/lib/history/local-clock';

/** The IndexedDB database of call history, in the extension's own origin (background only). */
export const DB_NAME = 'crm-softphone-history';

/**
 * Version 1, as the first release ships it. Never edit a shipped version: add a new one.
 *
 * Ids of calls, notes, recordings and messages are time-ordered (`time-ordered-id.ts`), so the
 * primary key doubles as the "newest first" order, and `[x+id]` compound indexes give each filter
 * its own time-ordered run:
 * - `calls.[direction+id]`, `calls.[outcome+id]`: history pages filtered to inbound / outbound / missed;
 * - `calls.[numberKey+id]`, `notes.[numberKey+id]`, `recordings.[numberKey+id]`: one number's timeline;
 * - `calls.startedAt`: analytics over a date range;
 * - `calls.state`: the few unfinished calls, for recovery after a crash;
 * - `calls.crmState`: the CRM sync queue; `calls.contactId`, `notes.contactId`: a contact's rows;
 * - `contacts.*numbers`: caller lookup by number; `contacts.externalId`: CRM upserts.
 */
export const SCHEMA_V1 = {
  calls: 'id, startedAt, state, [direction+id], [outcome+id], [numberKey+id], contactId, crmState',
  notes: 'id, callId, [numberKey+id], contactId',
  recordings: 'id, callId, [numberKey+id]',
  contacts: 'id, *numbers, externalId',
  tasks: 'id, [status+dueAt], callId, [numberKey+id]',
} as const;

/**
 * Version 2: search, messages and callbacks.
 * - `calls.*words`, `notes.*words`: word-prefix search over caller names and note text (the
 *   upgrade fills `words` of existing rows);
 * - `messages`: SIP MESSAGE (SMS/chat) in the same timeline;
 * - `numbers`: one row per number for digit-substring search, `[lastAt+id]` to list them most
 *   recently called first (the upgrade builds it from calls);
 * - `calls.callbackAt` (not indexed): the upgrade links each missed call to its callback.
 */
export const SCHEMA_V2 = {
  calls: 'id, startedAt, state, [direction+id], [outcome+id], [numberKey+id], contactId, crmState, *words',
  notes: 'id, callId, [numberKey+id], contactId, *words',
  messages: 'id, [numberKey+id], at, messageId',
  numbers: 'id, [lastAt+id]',
} as const;

/**
 * Version 3: `dayTotals`, the totals of each local day's calls (`day-totals-record.ts`), so
 * analytics of a year reads 365 rows instead of every call; `end` finds the row of an instant.
 * The upgrade counts every day from the first call to the last in the runtime's time zone.
 */
export const SCHEMA_V3 = {
  dayTotals: 'id, end',
} as const;

/** The newest schema version; the structure test checks every older one has a migration fixture. */
export const LATEST_SCHEMA_VERSION = 3;

/** Database of calls, notes, recordings, contacts, messages and tasks. */
export class AppDb extends Dexie {
  calls!: EntityTable<CallRecord, 'id'>;
  notes!: EntityTable<NoteRecord, 'id'>;
  recordings!: EntityTable<RecordingRecord, 'id'>;
  contacts!: EntityTable<ContactRecord, 'id'>;
  messages!: EntityTable<MessageRecord, 'id'>;
  tasks!: EntityTable<TaskRecord, 'id'>;
  numbers!: EntityTable<NumberEntry, 'id'>;
  dayTotals!: EntityTable<DayTotalsRecord, 'id'>;

  /** `options` lets tests pass fake-indexeddb's `indexedDB` and `IDBKeyRange`. */
  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
    this.version(3).stores(SCHEMA_V3).upgrade(upgradeToV3);
  }
}

/** The fields of version-1 rows the v2 upgrade reads. */
interface V1Call {
  id: string;
  direction: 'inbound' | 'outbound';
  outcome?: string;
  numberKey: string;
  startedAt: number;
  remoteName?: string;
  contactId?: string;
  words?: string[];
  callbackAt?: number;
}
interface V1Note {
  text: string;
  words?: string[];
}

/**
 * v1 → v2: index the words of existing calls (remote name and contact name) and notes, link missed
 * calls to their callbacks, and build the number directory. Calls are visited in key order, i.e.
 * oldest first, so the directory ends up with each number's latest start and latest name.
 */
async function upgradeToV2(tx: Transaction): Promise<void> {
  const contactNames = new Map<string, string>();
  await tx.table<{ id: string; name: string }>('contacts').each((contact) => {
    contactNames.set(contact.id, contact.name);
  });
  const calls = tx.table<V1Call>('calls');
  const links: CallLink[] = [];
  await calls.each(({ id, numberKey, direction, outcome, startedAt }) => {
    links.push({ id, numberKey, direction, outcome, startedAt });
  });
  const callbacks = callbackTimes(links);
  const directory = new Map<string, NumberEntry>();
  await calls.toCollection().modify((call) => {
    call.words = toWords(call.remoteName, call.contactId ? contactNames.get(call.contactId) : undefined);
    const callbackAt = callbacks.get(call.id);
    if (callbackAt !== undefined) call.callbackAt = callbackAt;
    const next = mergeNumberEntry(directory.get(call.numberKey), call);
    if (next) directory.set(call.numberKey, next);
  });
  await tx
    .table<V1Note>('notes')
    .toCollection()
    .modify((note) => {
      note.words = toWords(note.text);
    });
  await tx.table<NumberEntry>('numbers').bulkPut([...directory.values()]);
}

/**
 * v2 → v3: counts the day totals of every local day from the first call to the last, in the time
 * zone of the context running the upgrade (the background's, which is the user's). Every call is
 * read at once, in start order: the upgrade runs once, and the v2 rows have every field it reads.
 */
async function upgradeToV3(tx: Transaction): Promise<void> {
  const calls = await tx.table<CallRecord>('calls').orderBy('startedAt').toArray();
  if (calls.length === 0) return;
  const clock = createLocalClock(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const spans = daySpans(clock, localDayOf(clock, calls[0]!.startedAt), localDayOf(clock, calls.at(-1)!.startedAt));
  await tx.table<DayTotalsRecord>('dayTotals').bulkPut(buildDayTotals(calls, clock, spans));
}
