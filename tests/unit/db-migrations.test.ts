import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LATEST_SCHEMA_VERSION } from '@/lib/db/app-db';
import { recoverInterruptedCalls } from '@/lib/history/call-journal';
import type { CallRecord } from '@/lib/db/call-record';
import { analyzeCalls } from '@/lib/history/analytics';
import { mergeDayTotals } from '@/lib/history/day-totals';
import { createLocalClock, dayName, localDayOf } from '@/lib/history/local-clock';
import { loadRangeAnalytics } from '@/lib/history/range-analytics';
import { countReads } from '../fixtures/db/read-counter';
import { freshIndexedDb, openTestDb } from '../fixtures/db/test-db';
import {
  createV1Database,
  V1_CALLS,
  V1_NOTES,
  V1_RECORDING_BYTES,
  V1_T0,
  V1_TASKS,
} from '../fixtures/db/v1';
import { createV2Database, V2_CALLS, V2_MESSAGES, V2_NOTES, V2_NUMBERS, V2_T0 } from '../fixtures/db/v2';

const NAME = 'migration-test';
const H = 3_600_000;

beforeEach(() => {
  fakeBrowser.reset();
});

/** Opens a v1 database holding `data` with the current schema. */
async function upgradeFromV1(data: 'fixture' | 'empty' = 'fixture') {
  const deps = freshIndexedDb();
  await createV1Database(deps, NAME, data);
  const db = openTestDb(deps, NAME);
  await db.open();
  return db;
}

describe('migration from v1', () => {
  it(`opens a v1 database at version ${LATEST_SCHEMA_VERSION}`, async () => {
    const db = await upgradeFromV1();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual(
      ['calls', 'contacts', 'dayTotals', 'messages', 'notes', 'numbers', 'recordings', 'tasks'],
    );
  });

  it('keeps every v1 call field and adds the words of the remote and contact names', async () => {
    const db = await upgradeFromV1();
    const calls = await db.calls.toArray();
    expect(calls.map(({ words: _words, callbackAt: _callbackAt, ...rest }) => rest)).toEqual(
      [...V1_CALLS].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(Object.fromEntries(calls.map((call) => [call.callId, call.words]))).toEqual({
      'c-1': ['ivan', 'иван', 'петров'],
      'c-6': ['иван', 'петров'],
      'c-2': ['иван', 'петров'],
      'c-3': ['reception'],
      'c-4': ['bob', 'smith'],
      'c-5': ['иван', 'п', 'петров'],
    });
  });

  it('links missed calls to the first later outbound call to their number', async () => {
    const db = await upgradeFromV1();
    const linked = (await db.calls.toArray()).filter((call) => call.callbackAt !== undefined);
    // c-6 (missed at 07:30) was called back by c-2 at 08:00; c-3 (101) never was.
    expect(linked.map((call) => [call.callId, call.callbackAt])).toEqual([['c-6', V1_T0 + H]]);
  });

  it('indexes the words of note text, ё folded to е', async () => {
    const db = await upgradeFromV1();
    const notes = await db.notes.toArray();
    expect(notes.map(({ words: _words, ...rest }) => rest)).toEqual(V1_NOTES);
    expect(notes.map((note) => note.words)).toEqual([
      ['перезвонить', 'завтра', 'насчет', 'счета'],
      ['vip', 'customer', 'speaks', 'english'],
    ]);
    expect(await db.notes.where('words').startsWith('счет').primaryKeys()).toEqual([V1_NOTES[0]!.id]);
    expect(await db.calls.where('words').startsWith('петр').count()).toBe(4);
  });

  it('builds the number directory with each number\'s latest call and name', async () => {
    const db = await upgradeFromV1();
    expect(await db.numbers.orderBy('id').toArray()).toEqual([
      { id: '+442079460958', lastAt: V1_T0 + 3 * H, name: 'Bob Smith' },
      { id: '+79161234567', lastAt: V1_T0 + 4 * H, name: 'Иван П.' },
      { id: '101', lastAt: V1_T0 + 2 * H, name: 'Reception' },
    ]);
  });

  it('keeps recordings (with their audio), contacts and tasks, and starts with no messages', async () => {
    const db = await upgradeFromV1();
    const [recording] = await db.recordings.toArray();
    expect(new Uint8Array(await recording!.blob.arrayBuffer())).toEqual(V1_RECORDING_BYTES);
    expect(await db.tasks.toArray()).toEqual(V1_TASKS);
    expect(await db.contacts.where('numbers').equals('+79161234567').count()).toBe(1);
    expect(await db.messages.count()).toBe(0);
  });

  it('leaves the call that was in progress recoverable', async () => {
    const db = await upgradeFromV1();
    const closed = await recoverInterruptedCalls(db, [], V1_T0 + 5 * H);
    const inProgress = V1_CALLS.find((call) => call.callId === 'c-5')!;
    expect(closed).toEqual([inProgress.id]);
    expect(await db.calls.get(inProgress.id)).toMatchObject({ outcome: 'interrupted', talkMs: 100 });
  });

  it('upgrades an empty v1 database', async () => {
    const db = await upgradeFromV1('empty');
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await db.calls.count()).toBe(0);
    expect(await db.numbers.count()).toBe(0);
  });
});

/** Opens a v2 database holding `data` with the current schema. */
async function upgradeFromV2(data: 'fixture' | 'empty' = 'fixture') {
  const deps = freshIndexedDb();
  await createV2Database(deps, NAME, data);
  const db = openTestDb(deps, NAME);
  await db.open();
  return db;
}

describe('migration from v2', () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const finished = V2_CALLS.filter((call) => call.outcome !== undefined) as unknown as CallRecord[];

  it(`opens a v2 database at version ${LATEST_SCHEMA_VERSION}, every v2 row kept as it was`, async () => {
    const db = await upgradeFromV2();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await db.calls.toArray()).toEqual(V2_CALLS);
    expect(await db.notes.toArray()).toEqual(V2_NOTES);
    expect(await db.messages.toArray()).toEqual(V2_MESSAGES);
    expect(await db.numbers.orderBy('id').toArray()).toEqual(V2_NUMBERS);
  });

  it('counts the day totals of every local day from the first call to the last, in the runtime time zone', async () => {
    const db = await upgradeFromV2();
    const clock = createLocalClock(zone);
    const rows = await db.dayTotals.toArray();
    const first = localDayOf(clock, V2_T0);
    const last = localDayOf(clock, V2_CALLS.at(-1)!.startedAt);
    expect(rows.map((row) => row.id)).toEqual(
      Array.from({ length: last - first + 1 }, (_, i) => dayName(first + i)),
    );
    expect(rows.every((row) => row.timeZone === zone)).toBe(true);
    const range = { from: rows[0]!.start, to: rows.at(-1)!.end, timeZone: zone };
    // The upgrade's rows give the same analytics as the calls themselves: 4 finished calls, the
    // missed call from Bob called back an hour later.
    const fromRows = mergeDayTotals(rows, range);
    expect(fromRows).toEqual(analyzeCalls(finished, range));
    expect(fromRows).toMatchObject({ calls: 4, answered: 2, missed: 2, talkMs: 180_000 });
    expect(fromRows.callbacks).toMatchObject({ calledBack: 1, neverCalledBack: 1, worstMs: H - 30_000 });
  });

  it('reads analytics from the upgraded totals without counting a day again', async () => {
    const db = await upgradeFromV2();
    const before = await db.dayTotals.toArray();
    const range = { from: before[0]!.start, to: before.at(-1)!.end, timeZone: zone };
    const reads = countReads(db);
    expect(await loadRangeAnalytics(db, range)).toEqual(analyzeCalls(finished, range));
    expect(reads.reads.values.calls ?? 0).toBe(0);
    expect(await db.dayTotals.toArray()).toEqual(before);
  });

  it('counts the call that was in progress once recovery closes it', async () => {
    const db = await upgradeFromV2();
    const rows = await db.dayTotals.toArray();
    const range = { from: rows[0]!.start, to: rows.at(-1)!.end, timeZone: zone };
    await recoverInterruptedCalls(db, [], V2_T0 + 40 * H);
    const result = await loadRangeAnalytics(db, range);
    expect(result).toMatchObject({ calls: 5, answered: 3, talkMs: 180_000 + 58_000 });
    expect(result.outcomes.interrupted).toBe(1);
  });

  it('upgrades an empty v2 database', async () => {
    const db = await upgradeFromV2('empty');
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await db.dayTotals.count()).toBe(0);
  });
});

describe(`a new database`, () => {
  it(`is created at version ${LATEST_SCHEMA_VERSION} directly`, async () => {
    const db = openTestDb();
    await db.open();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await db.numbers.count()).toBe(0);
  });
});
