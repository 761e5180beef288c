import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { NoteRecord } from '@/lib/db/note-record';
import { setCallDisposition } from '@/lib/history/call-disposition';
import { addNote, deleteNote, editNote, notesOfCall, notesOfCalls } from '@/lib/history/call-notes';
import type { CallAnalytics } from '@/lib/history/analytics';
import { historyPage, numberTimeline, searchHistory } from '@/lib/history/history-queries';
import { loadRangeAnalytics } from '@/lib/history/range-analytics';
import type { HistoryFilterName, HistoryRow, NumberHit, TimelineEntry } from '@/lib/history/history-row';

export interface HistoryServiceOptions {
  db: AppDb;
  /** @defaultValue `Date.now` */
  clock?: () => number;
  /** The default country, to read a national number typed into the search (e.g. 8 916… as +7 916…). */
  region?: () => Promise<string>;
}

export interface HistoryService {
  /** One page of calls with their notes, as plain rows for the panel. */
  getHistoryPage(request: { filter: HistoryFilterName; cursor?: string; limit: number }): Promise<{
    rows: HistoryRow[];
    nextCursor?: string;
  }>;
  /** Edits the call's first note, or adds one when it has none; blank text deletes it. */
  saveCallNote(request: { callId: string; text: string }): Promise<{ noteId?: string }>;
  /** Sets or (with `null`) clears the call's disposition. */
  setCallDisposition(request: { callId: string; disposition: string | null }): Promise<null>;
  /** The call's first note and its disposition. */
  getCallWrapUp(request: { callId: string }): Promise<{ noteText?: string; disposition?: string }>;
  /**
   * Calls matching a query (number digits, names, note words), newest first; and the matching
   * numbers that have no call among them (numbers that only exchanged messages, or whose calls
   * are older than the newest found).
   */
  searchHistory(request: { query: string }): Promise<{ rows: HistoryRow[]; numbers: NumberHit[] }>;
  /** A number's calls, notes, recordings and messages merged newest first. */
  getNumberTimeline(request: { numberKey: string }): Promise<{ entries: TimelineEntry[] }>;
  /** Analytics of `[from, to)` with days and hours in `timeZone`, from the day totals. */
  getAnalytics(request: { from: number; to: number; timeZone: string }): Promise<CallAnalytics>;
}

/** Most rows a search or a timeline answers with; the panel shows one screen of them. */
const PANEL_LIST_LIMIT = 50;

/**
 * History reads and note writes for the side panel. The background owns Dexie (STYLE rule 2), so
 * the panel asks through `PanelToBackground` and this service answers from the database.
 */
export function createHistoryService({ db, clock = Date.now, region }: HistoryServiceOptions): HistoryService {
  const rowsOf = async (calls: readonly CallRecord[]): Promise<HistoryRow[]> => {
    // Two independent reads: asked together, IndexedDB serves them side by side.
    const [notes, names] = await Promise.all([notesOfCalls(db, calls.map((call) => call.id)), contactNamesOf(db, calls)]);
    return calls.map((call) => {
      const row = toHistoryRow(call, notes.get(call.id) ?? []);
      const contactName = names.get(call.numberKey);
      return contactName ? { ...row, contactName } : row;
    });
  };
  return {
    async getHistoryPage({ filter, cursor, limit }) {
      const page = await historyPage(db, { filter, limit, ...(cursor === undefined ? {} : { cursor }) });
      return {
        rows: await rowsOf(page.calls),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
    async searchHistory({ query }) {
      const result = await searchHistory(db, query, {
        limit: PANEL_LIST_LIMIT,
        ...(region ? { region: await region() } : {}),
      });
      const withCalls = new Set(result.calls.map((call) => call.numberKey));
      const numbers = result.numbers
        .filter((entry) => !withCalls.has(entry.id))
        .map((entry) => ({ numberKey: entry.id, lastAt: entry.lastAt, ...(entry.name ? { name: entry.name } : {}) }));
      return { rows: await rowsOf(result.calls), numbers };
    },
    async getNumberTimeline({ numberKey }) {
      const page = await numberTimeline(db, numberKey, { limit: PANEL_LIST_LIMIT });
      // The calls' notes are already in the page: a note is written after its call started, so its
      // time-ordered id sorts above the call's, and the page keeps every item newer than its
      // oldest one. No second read is needed.
      const notesByCall = new Map<string, NoteRecord[]>();
      for (const item of [...page.items].reverse()) {
        if (item.kind !== 'note' || item.note.callId === undefined) continue;
        const list = notesByCall.get(item.note.callId);
        if (list) list.push(item.note);
        else notesByCall.set(item.note.callId, [item.note]);
      }
      const rows = new Map(
        page.items.flatMap((item) =>
          item.kind === 'call' ? [[item.call.id, toHistoryRow(item.call, notesByCall.get(item.call.id) ?? [])] as const] : [],
        ),
      );
      const entries: TimelineEntry[] = [];
      for (const item of page.items) {
        if (item.kind === 'call') {
          entries.push({ kind: 'call', id: item.id, at: item.at, call: rows.get(item.call.id)! });
        } else if (item.kind === 'note') {
          entries.push({ kind: 'note', id: item.id, at: item.at, text: item.note.text });
        } else if (item.kind === 'message') {
          const { direction, body, status, failure } = item.message;
          entries.push({
            kind: 'message',
            id: item.id,
            at: item.at,
            direction,
            body,
            status,
            ...(failure ? { failure } : {}),
          });
        } else if (item.kind === 'recording') {
          const { callId, type, durationMs, size } = item.recording;
          entries.push({ kind: 'recording', id: item.id, at: item.at, callId, mimeType: type, durationMs, size });
        }
      }
      return { entries };
    },
    getAnalytics({ from, to, timeZone }) {
      return loadRangeAnalytics(db, { from, to, timeZone });
    },
    async saveCallNote({ callId, text }) {
      const [first] = await notesOfCall(db, callId);
      if (text.trim() === '') {
        if (first) await deleteNote(db, first.id);
        return {};
      }
      const note = first ? await editNote(db, first.id, text, clock()) : await addNote(db, { callId }, text, clock());
      return { noteId: note.id };
    },
    async setCallDisposition({ callId, disposition }) {
      await setCallDisposition(db, callId, disposition ?? undefined, clock());
      return null;
    },
    async getCallWrapUp({ callId }) {
      const [call, [first]] = await Promise.all([db.calls.get(callId), notesOfCall(db, callId)]);
      return {
        ...(first ? { noteText: first.text } : {}),
        ...(call?.disposition === undefined ? {} : { disposition: call.disposition }),
      };
    },
  };
}

/**
 * The contact name of each number among `calls`, as the contacts are now (a contact added after a
 * call still names it); the contact the call was journaled with wins when several share a number.
 */
async function contactNamesOf(db: AppDb, calls: readonly CallRecord[]): Promise<Map<string, string>> {
  const keys = [...new Set(calls.map((call) => call.numberKey))];
  const names = new Map<string, string>();
  if (keys.length === 0) return names;
  const contacts = await db.contacts.where('numbers').anyOf(keys).toArray();
  const journaled = new Set(calls.map((call) => call.contactId).filter((id) => id !== undefined));
  contacts.sort((a, b) => Number(journaled.has(b.id)) - Number(journaled.has(a.id)));
  for (const contact of contacts) {
    for (const key of contact.numbers) if (keys.includes(key) && !names.has(key)) names.set(key, contact.name);
  }
  return names;
}

/** The fields of a call the panel shows. */
export function toHistoryRow(call: CallRecord, notes: readonly NoteRecord[]): HistoryRow {
  const optional = <K extends keyof CallRecord>(key: K): Partial<Pick<CallRecord, K>> =>
    call[key] === undefined ? {} : ({ [key]: call[key] } as Partial<Pick<CallRecord, K>>);
  return {
    id: call.id,
    callId: call.callId,
    direction: call.direction,
    ...optional('outcome'),
    remoteRaw: call.remoteRaw,
    ...optional('remoteE164'),
    ...optional('remoteName'),
    numberKey: call.numberKey,
    startedAt: call.startedAt,
    ...optional('answeredAt'),
    ...optional('endedAt'),
    talkSeconds: Math.round((call.talkMs ?? 0) / 1000),
    noteCount: notes.length,
    ...(notes[0] ? { noteText: notes[0].text } : {}),
    ...optional('disposition'),
    ...optional('recordingId'),
    ...optional('endReason'),
  };
}
