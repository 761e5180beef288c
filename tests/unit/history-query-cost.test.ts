import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { NoteRecord } from '@/lib/db/note-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { toWords } from '@/lib/db/words';
import { loadCallAnalytics } from '@/lib/history/analytics';
import { journalSnapshot, recoverInterruptedCalls } from '@/lib/history/call-journal';
import { historyPage, numberTimeline, PREFIX_WORDS_VISITED, searchHistory, WORD_KEY_CAP } from '@/lib/history/history-queries';
import { LIVE_CALL_STATES } from '@/lib/history/merge-call-snapshot';
import { recordNumbers } from '@/lib/history/number-directory';
import { callRow, callSnapshot, openTestDb, T0 } from '../fixtures/db/test-db';
import { countReads } from '../fixtures/db/read-counter';

/**
 * The cost of each query, counted in rows and keys read rather than in milliseconds: with 6,000
 * calls a first page must read about one page of rows, as it would with 100,000. (The browser
 * timings are in the report of the change that added these queries.)
 */
const CALLS = 6_000;
const NUMBERS = 600;
const NOTES = 1_200;
const FIVE_MIN = 300_000;
const DAY = 86_400_000;
const LIMIT = 50;

const FIRST_NAMES = ['Ivan', 'Anna', 'Oleg', 'Maria', 'Pavel', 'Olga', 'Igor', 'Elena', 'Sergey', 'Irina'];
const numberOf = (i: number): string => `+7916${String(1_000_000 + (i % NUMBERS)).slice(1).padStart(7, '0')}`;

let db: AppDb;
let counter: ReturnType<typeof countReads>;
let calls: CallRecord[];
let notes: NoteRecord[];

/** The newest `LIMIT` ids of rows that pass `keep`, found the slow way. */
const newest = <T extends { id: string }>(rows: readonly T[], keep: (row: T) => boolean): string[] =>
  rows
    .filter(keep)
    .map((row) => row.id)
    .sort()
    .reverse()
    .slice(0, LIMIT);

beforeAll(async () => {
  db = openTestDb();
  // Middlewares join the stack when the database opens: register before the first use.
  counter = countReads(db);
  calls = Array.from({ length: CALLS }, (_, i) => {
    const startedAt = T0 + i * FIVE_MIN;
    const inbound = i % 2 === 0;
    const missed = inbound && i % 10 === 0;
    const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} Customer${i % NUMBERS}`;
    return callRow({
      callId: `call-${i}`,
      startedAt,
      numberKey: numberOf(i),
      direction: inbound ? 'inbound' : 'outbound',
      remoteName: name,
      words: toWords(name),
      ...(missed ? {} : { answeredAt: startedAt + 4_000 }),
    });
  });
  notes = Array.from({ length: NOTES }, (_, i) => {
    const call = calls[i * 5]!;
    const text = `Follow-up ${i}: discussed invoice ${i % 37} and delivery`;
    return {
      id: timeOrderedId(call.startedAt + 60_000, `note-${i}`),
      callId: call.id,
      numberKey: call.numberKey,
      text,
      words: toWords(text),
      createdAt: call.startedAt + 60_000,
      updatedAt: call.startedAt + 60_000,
    };
  });
  await db.transaction('rw', db.calls, db.notes, db.numbers, async () => {
    await db.calls.bulkAdd(calls);
    await db.notes.bulkAdd(notes);
    await recordNumbers(db, calls);
  });
}, 120_000);

beforeEach(() => {
  fakeBrowser.reset();
  counter.reset();
});

const values = (table: string): number => counter.reads.values[table] ?? 0;
const keys = (table: string): number => counter.reads.keys[table] ?? 0;
const steps = (): number => Object.values(counter.reads.cursorSteps).reduce((a, b) => a + b, 0);

describe(`query cost over ${CALLS} calls and ${NOTES} notes`, () => {
  it.each(['all', 'inbound', 'outbound', 'missed'] as const)('a %s history page reads one page of calls', async (filter) => {
    const first = await historyPage(db, { filter, limit: LIMIT });
    expect(first.calls).toHaveLength(LIMIT);
    counter.reset();
    const tenth = await historyPage(db, { filter, limit: LIMIT, cursor: first.calls[LIMIT - 1]!.id });
    expect(tenth.calls).toHaveLength(LIMIT);
    // One row more than a page tells whether another page follows.
    expect(values('calls') + steps()).toBe(LIMIT + 1);
  });

  it("a number's timeline reads at most a page from each table", async () => {
    // Number 0 has 10 calls (every 600th) and 10 notes (on every 600th call of those noted).
    const small = await numberTimeline(db, numberOf(0), { limit: LIMIT });
    expect(small.items).toHaveLength(20);
    expect(values('calls') + values('notes')).toBe(20);
    counter.reset();
    const page = await numberTimeline(db, numberOf(0), { limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(values('calls') + values('notes') + steps()).toBeLessThanOrEqual(2 * (5 + 1));
  });

  it('a search for a name reads the newest keys of that one word and one page of calls, however many calls carry it', async () => {
    // 600 calls carry "sergey": the word is found by a probe of the index, its newest 50 ids are
    // taken from the end of its range, and a last probe finds no other word starting with "ser".
    const result = await searchHistory(db, 'ser', { limit: LIMIT });
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, (call) => call.words.includes('sergey')));
    expect(values('calls')).toBe(LIMIT);
    expect(keys('calls')).toBe(LIMIT);
  });

  it('a prefix of a few words merges the newest ids of each', async () => {
    // "o" starts oleg and olga (1,200 calls; no note word starts with it): 50 ids from each word.
    const result = await searchHistory(db, 'o', { limit: LIMIT });
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, (call) => call.words.some((word) => word.startsWith('o'))));
    expect(values('calls')).toBe(LIMIT);
    expect(keys('calls')).toBe(2 * LIMIT);
  });

  it('a prefix of many words sorts all their keys and reads only the newest calls', async () => {
    // "custom" starts 600 words (customer0…customer599), more than are visited one by one
    // (PREFIX_WORDS_VISITED): all 6,000 keys are read and sorted, and only the page of rows.
    expect(PREFIX_WORDS_VISITED).toBeLessThan(NUMBERS);
    const result = await searchHistory(db, 'custom', { limit: LIMIT });
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, () => true));
    expect(keys('calls')).toBe(CALLS);
    expect(values('calls')).toBe(LIMIT);
  });

  it('a prefix of many words with more matches than the cap reads the newest calls instead of all its matches', async () => {
    // With more matches than the single-word cap, rows are read newest first until a page matches.
    const result = await searchHistory(db, 'custom', { limit: LIMIT, singleWordKeyCap: 3_000 });
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, () => true));
    expect(keys('calls')).toBe(3_000);
    expect(values('calls')).toBeLessThanOrEqual(100);
  });

  it('a two-word search intersects the ids of both words', async () => {
    const result = await searchHistory(db, 'ivan customer10', { limit: LIMIT });
    const expected = newest(calls, (call) => call.words.includes('ivan') && call.words.some((w) => w.startsWith('customer10')));
    expect(expected.length).toBeGreaterThan(0);
    expect(result.calls.map((call) => call.id)).toEqual(expected);
    expect(values('calls')).toBe(expected.length);
  });

  it('a rare and a common word: the rare word\'s candidates are read newest first and checked', async () => {
    const result = await searchHistory(db, 'customer oleg', { limit: LIMIT });
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, (call) => call.words.includes('oleg')));
    expect(values('calls')).toBe(200);
  });

  it('two common words: their complete id sets are intersected', async () => {
    const result = await searchHistory(db, 'c custom', { limit: LIMIT });
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, () => true));
    expect(keys('calls')).toBe(2 * WORD_KEY_CAP + 2 * CALLS);
    expect(values('calls')).toBe(LIMIT);
  });

  it('a note search reads only the newest matching notes', async () => {
    const result = await searchHistory(db, 'invoice', { limit: LIMIT });
    expect(result.notes.map((note) => note.id)).toEqual(newest(notes, () => true));
    expect(values('notes')).toBeLessThanOrEqual(100);
    counter.reset();
    const rare = await searchHistory(db, 'follow 1177', { limit: LIMIT });
    expect(rare.notes.map((note) => note.text)).toEqual(['Follow-up 1177: discussed invoice 30 and delivery']);
  });

  it('a digit search reads the directory keys, the matching numbers, and one page of calls', async () => {
    const result = await searchHistory(db, '0345', { limit: LIMIT });
    expect(result.numbers.map((entry) => entry.id)).toEqual(['+79160000345']);
    expect(keys('numbers')).toBe(NUMBERS);
    expect(values('numbers')).toBe(1);
    expect(values('calls')).toBe(CALLS / NUMBERS);
  });

  it('a digit search matching every number reads the directory newest first, and one page of calls', async () => {
    const result = await searchHistory(db, '7916', { limit: LIMIT });
    // Number i % 600 was last called by call i for the newest 600 calls.
    expect(result.numbers.map((entry) => entry.id)).toEqual(
      Array.from({ length: LIMIT }, (_, i) => numberOf(CALLS - 1 - i)),
    );
    expect(result.calls.map((call) => call.id)).toEqual(newest(calls, () => true));
    expect(values('numbers')).toBeLessThanOrEqual(100);
    expect(values('calls')).toBe(LIMIT);
  });

  it('analytics of one day reads that day\'s calls', async () => {
    const from = T0 + 3 * DAY;
    const result = await loadCallAnalytics(db, { from, to: from + DAY, timeZone: 'UTC' });
    expect(result.calls).toBe(DAY / FIVE_MIN);
    // The day's calls in one range read, plus, for each number still waiting for a callback, its
    // later calls up to the first outbound one (here none: each number is only ever inbound or
    // only outbound, so all its CALLS / NUMBERS calls are scanned).
    expect(values('calls')).toBe(DAY / FIVE_MIN);
    expect(result.callbacks.neverCalledBack).toBeGreaterThan(0);
    expect(steps()).toBeLessThanOrEqual(result.callbacks.neverCalledBack * (CALLS / NUMBERS));
  });

  it('journaling a new call and recovering after a crash read a handful of rows', async () => {
    await journalSnapshot(db, { calls: [callSnapshot({ id: 'new', startedAt: T0 + CALLS * FIVE_MIN })], recent: [] }, T0, {
      region: 'RU',
    });
    // No stored row, no contact; the number's directory row did not exist either.
    expect(values('calls') + values('numbers') + values('contacts') + steps()).toBe(0);
    counter.reset();
    expect(await recoverInterruptedCalls(db, [], T0 + CALLS * FIVE_MIN + 1)).toHaveLength(1);
    // The `state` index is read for the live states only; each jump between them may land on one
    // entry of another state.
    expect(values('calls') + steps()).toBeLessThanOrEqual(1 + LIVE_CALL_STATES.length);
  });
});
