import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { NoteRecord } from '@/lib/db/note-record';
import { addNote, editNote, notesOfCall } from '@/lib/history/call-notes';
import { historyPage } from '@/lib/history/history-queries';
import type { HistoryFilterName, HistoryRow } from '@/lib/history/history-row';

export interface HistoryServiceOptions {
  db: AppDb;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

export interface HistoryService {
  /** One page of calls with their notes, as plain rows for the panel. */
  getHistoryPage(request: { filter: HistoryFilterName; cursor?: string; limit: number }): Promise<{
    rows: HistoryRow[];
    nextCursor?: string;
  }>;
  /** Edits the call's first note, or adds one when it has none. */
  saveCallNote(request: { callId: string; text: string }): Promise<{ noteId: string }>;
}

/**
 * History reads and note writes for the side panel. The background owns Dexie (STYLE rule 2), so
 * the panel asks through `PanelToBackground` and this service answers from the database.
 */
export function createHistoryService({ db, clock = Date.now }: HistoryServiceOptions): HistoryService {
  return {
    async getHistoryPage({ filter, cursor, limit }) {
      const page = await historyPage(db, { filter, limit, ...(cursor === undefined ? {} : { cursor }) });
      const notes = await Promise.all(page.calls.map((call) => notesOfCall(db, call.id)));
      return {
        rows: page.calls.map((call, index) => toHistoryRow(call, notes[index] ?? [])),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
    async saveCallNote({ callId, text }) {
      const [first] = await notesOfCall(db, callId);
      const note = first ? await editNote(db, first.id, text, clock()) : await addNote(db, { callId }, text, clock());
      return { noteId: note.id };
    },
  };
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
    startedAt: call.startedAt,
    ...optional('answeredAt'),
    ...optional('endedAt'),
    talkSeconds: Math.round((call.talkMs ?? 0) / 1000),
    noteCount: notes.length,
    ...(notes[0] ? { noteText: notes[0].text } : {}),
  };
}
