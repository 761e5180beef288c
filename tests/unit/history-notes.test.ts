import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { addNote, deleteNote, editNote, EmptyNoteError, notesOfCall, notesOfCalls } from '@/lib/history/call-notes';
import { searchHistory } from '@/lib/history/history-queries';
import { NotFoundError } from '@/lib/util/exception';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
const call = callRow({ callId: 'c-1', startedAt: T0, numberKey: '+79161234567', contactId: 'crm-9' });

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  await db.calls.add(call);
});

describe('notes', () => {
  it('adds a note about a call, with the call\'s number and contact', async () => {
    const note = await addNote(db, { callId: call.id }, '  Wants a discount  ', T0 + 1_000, { unique: 'n1' });
    expect(note).toEqual({
      id: timeOrderedId(T0 + 1_000, 'n1'),
      callId: call.id,
      numberKey: '+79161234567',
      contactId: 'crm-9',
      text: 'Wants a discount',
      words: ['wants', 'a', 'discount'],
      createdAt: T0 + 1_000,
      updatedAt: T0 + 1_000,
    });
    expect(await db.notes.get(note.id)).toEqual(note);
  });

  it('adds a note about a number typed in national form', async () => {
    const note = await addNote(db, { number: '8 916 123-45-67', region: 'RU' }, 'Prefers email', T0);
    expect(note).toMatchObject({ numberKey: '+79161234567' });
    expect(note.callId).toBeUndefined();
  });

  it('edits a note in place: same id and creation time, new text, words and update time', async () => {
    const note = await addNote(db, { callId: call.id }, 'Call back Monday', T0, { unique: 'n1' });
    const edited = await editNote(db, note.id, 'Call back Tuesday', T0 + 60_000);
    expect(edited).toEqual({ ...note, text: 'Call back Tuesday', words: ['call', 'back', 'tuesday'], updatedAt: T0 + 60_000 });
    expect(await db.notes.toArray()).toEqual([edited]);
    expect((await searchHistory(db, 'tues')).notes).toEqual([edited]);
    expect((await searchHistory(db, 'monday')).notes).toEqual([]);
  });

  it('deletes a note', async () => {
    const note = await addNote(db, { callId: call.id }, 'Oops', T0);
    expect(await deleteNote(db, note.id)).toBe(true);
    expect(await db.notes.count()).toBe(0);
    expect(await deleteNote(db, note.id)).toBe(false);
  });

  it('lists the notes of a call oldest first', async () => {
    await addNote(db, { callId: call.id }, 'second', T0 + 2_000, { unique: 'b' });
    await addNote(db, { callId: call.id }, 'first', T0 + 1_000, { unique: 'z' });
    await addNote(db, { numberKey: '+79161234567' }, 'about the number', T0 + 3_000);
    expect((await notesOfCall(db, call.id)).map((note) => note.text)).toEqual(['first', 'second']);
  });

  it('reads the notes of several calls at once, each oldest first, leaving out calls without notes', async () => {
    const other = callRow({ callId: 'c-2', startedAt: T0 - 60_000, numberKey: '101' });
    const silent = callRow({ callId: 'c-3', startedAt: T0 - 120_000, numberKey: '102' });
    await db.calls.bulkAdd([other, silent]);
    await addNote(db, { callId: call.id }, 'second', T0 + 2_000, { unique: 'b' });
    await addNote(db, { callId: other.id }, 'other', T0 + 1_500, { unique: 'c' });
    await addNote(db, { callId: call.id }, 'first', T0 + 1_000, { unique: 'z' });
    const notes = await notesOfCalls(db, [call.id, other.id, silent.id]);
    expect([...notes.keys()].sort()).toEqual([call.id, other.id].sort());
    expect(notes.get(call.id)!.map((note) => note.text)).toEqual(['first', 'second']);
    expect(notes.get(other.id)!.map((note) => note.text)).toEqual(['other']);
    expect(await notesOfCalls(db, [])).toEqual(new Map());
  });

  it.each([
    { why: 'empty text', act: () => addNote(db, { callId: call.id }, ' \n ', T0), error: EmptyNoteError },
    { why: 'an unknown call', act: () => addNote(db, { callId: 'nope' }, 'text', T0), error: NotFoundError },
    { why: 'editing an unknown note', act: () => editNote(db, 'nope', 'text', T0), error: NotFoundError },
    {
      why: 'emptying a note',
      act: async () => editNote(db, (await addNote(db, { callId: call.id }, 'x', T0)).id, '', T0),
      error: EmptyNoteError,
    },
  ])('rejects $why', async ({ act, error }) => {
    await expect(act()).rejects.toBeInstanceOf(error);
    expect((await db.notes.toArray()).every((note) => note.text === 'x')).toBe(true);
  });
});
