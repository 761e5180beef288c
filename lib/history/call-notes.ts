import type { AppDb } from '@/lib/db/app-db';
import type { NoteRecord } from '@/lib/db/note-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { toWords } from '@/lib/db/words';
import { numberKeyOf } from '@/lib/history/number-key';
import { Exception, NotFoundError } from '@/lib/util/exception';

/** A note must say something; an emptied note is deleted, not saved. */
export class EmptyNoteError extends Exception {}

/** What a note is about: a call (by its history id) or a number (a contact). */
export type NoteSubject =
  | { callId: string }
  | { number: string; region: string }
  | { numberKey: string; contactId?: string };

/** Options of {@link addNote}. */
export interface AddNoteOptions {
  /**
   * Unique part of the new note's id.
   * @defaultValue `crypto.randomUUID()`
   */
  unique?: string;
}

/**
 * Adds a note about a call or a number. A note about a call also gets the call's number, so it
 * shows in that number's timeline.
 *
 * Rejects with {@link EmptyNoteError} for blank text and `NotFoundError` for an unknown call.
 */
export async function addNote(
  db: AppDb,
  subject: NoteSubject,
  text: string,
  now: number,
  options: AddNoteOptions = {},
): Promise<NoteRecord> {
  const body = checkedText(text);
  // Errors are thrown outside the transaction: Dexie would map one named `NotFoundError` to its own.
  const note = await db.transaction('rw', db.notes, db.calls, async () => {
    let about: Pick<NoteRecord, 'callId' | 'numberKey' | 'contactId'>;
    if ('callId' in subject) {
      const call = await db.calls.get(subject.callId);
      if (!call) return undefined;
      about = { callId: call.id, numberKey: call.numberKey, ...(call.contactId ? { contactId: call.contactId } : {}) };
    } else if ('number' in subject) {
      about = { numberKey: numberKeyOf(subject.number, subject.region).key };
    } else {
      about = { numberKey: subject.numberKey, ...(subject.contactId ? { contactId: subject.contactId } : {}) };
    }
    const added: NoteRecord = {
      id: timeOrderedId(now, options.unique ?? crypto.randomUUID()),
      ...about,
      text: body,
      words: toWords(body),
      createdAt: now,
      updatedAt: now,
    };
    await db.notes.add(added);
    return added;
  });
  if (!note) throw new NotFoundError(`no such call: ${'callId' in subject ? subject.callId : ''}`);
  return note;
}

/**
 * Replaces a note's text in place (same id, same place in the timeline) and stamps `updatedAt`.
 *
 * Rejects with {@link EmptyNoteError} for blank text and `NotFoundError` for an unknown note.
 */
export async function editNote(db: AppDb, id: string, text: string, now: number): Promise<NoteRecord> {
  const body = checkedText(text);
  const edited = await db.transaction('rw', db.notes, async () => {
    const note = await db.notes.get(id);
    if (!note) return undefined;
    const next: NoteRecord = { ...note, text: body, words: toWords(body), updatedAt: Math.max(now, note.updatedAt) };
    await db.notes.put(next);
    return next;
  });
  if (!edited) throw new NotFoundError(`no such note: ${id}`);
  return edited;
}

/** Deletes a note; `false` if there was none. */
export async function deleteNote(db: AppDb, id: string): Promise<boolean> {
  return db.transaction('rw', db.notes, async () => {
    if (!(await db.notes.get(id))) return false;
    await db.notes.delete(id);
    return true;
  });
}

/** The notes about one call, oldest first. */
export async function notesOfCall(db: AppDb, callId: string): Promise<NoteRecord[]> {
  // Entries of one index key come in primary-key order, which is creation order.
  return db.notes.where('callId').equals(callId).toArray();
}

/**
 * The notes about each of `callIds`, oldest first per call, in one index read: a page of 50 calls
 * costs one request instead of 50 in a row.
 */
export async function notesOfCalls(db: AppDb, callIds: readonly string[]): Promise<Map<string, NoteRecord[]>> {
  const byCall = new Map<string, NoteRecord[]>();
  if (callIds.length === 0) return byCall;
  // anyOf walks the index in key order: [callId, id], so each call's notes come oldest first.
  for (const note of await db.notes.where('callId').anyOf(callIds).toArray()) {
    const list = byCall.get(note.callId!);
    if (list) list.push(note);
    else byCall.set(note.callId!, [note]);
  }
  return byCall;
}

function checkedText(text: string): string {
  const body = text.trim();
  if (body.length === 0) throw new EmptyNoteError('a note cannot be empty');
  return body;
}
