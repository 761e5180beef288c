import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { MessageRecord } from '@/lib/db/message-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { toWords } from '@/lib/db/words';
import { addNote } from '@/lib/history/call-notes';
import {
  groupByDay,
  historyPage,
  numberTimeline,
  searchHistory,
  type HistoryFilter,
} from '@/lib/history/history-queries';
import { createLocalClock } from '@/lib/history/local-clock';
import { recordNumbers } from '@/lib/history/number-directory';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

const MIN = 60_000;
const ANNA = '+79161111111';
const BORIS = '+79162222222';
const CAROL = '+442079460958';

let db: AppDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = openTestDb();
});

async function addCalls(calls: CallRecord[]): Promise<void> {
  await db.transaction('rw', db.calls, db.numbers, async () => {
    await db.calls.bulkAdd(calls);
    await recordNumbers(db, calls);
  });
}

/** Twenty calls, one a minute, cycling through Anna, Boris and Carol; every third one missed. */
function twentyCalls(): CallRecord[] {
  const numbers = [ANNA, BORIS, CAROL];
  const names = ['Анна Смирнова', 'Boris Johnson', 'Carol Ann Smith'];
  return Array.from({ length: 20 }, (_, i) => {
    const startedAt = T0 + i * MIN;
    const missed = i % 3 === 0;
    return callRow({
      callId: `call-${String(i).padStart(2, '0')}`,
      startedAt,
      numberKey: numbers[i % 3]!,
      direction: i % 2 === 0 ? 'inbound' : 'outbound',
      remoteName: names[i % 3]!,
      words: toWords(names[i % 3]),
      ...(missed ? {} : { answeredAt: startedAt + 5_000 }),
      outcome: missed ? (i % 2 === 0 ? 'missed' : 'cancelled') : 'answered',
    });
  });
}

const newestFirst = (calls: readonly CallRecord[]): string[] => calls.map((c) => c.callId).sort().reverse();

describe('historyPage', () => {
  it.each<{ filter: HistoryFilter; keep: (call: CallRecord) => boolean }>([
    { filter: 'all', keep: () => true },
    { filter: 'inbound', keep: (call) => call.direction === 'inbound' },
    { filter: 'outbound', keep: (call) => call.direction === 'outbound' },
    { filter: 'missed', keep: (call) => call.outcome === 'missed' },
  ])('pages through $filter calls newest first, without repeats or gaps', async ({ filter, keep }) => {
    const calls = twentyCalls();
    await addCalls(calls);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await historyPage(db, { filter, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.calls.length).toBeLessThanOrEqual(3);
      seen.push(...page.calls.map((call) => call.callId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    const expected = newestFirst(calls.filter(keep));
    expect(expected.length).toBeGreaterThan(0);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));
  });

  it('keeps calls that started in the same millisecond apart across a page boundary', async () => {
    await addCalls(['a', 'b', 'c'].map((callId) => callRow({ callId, startedAt: T0, numberKey: ANNA })));
    const first = await historyPage(db, { limit: 2 });
    const second = await historyPage(db, { limit: 2, cursor: first.nextCursor! });
    expect([...first.calls, ...second.calls].map((c) => c.callId)).toEqual(['c', 'b', 'a']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('says there is no next page when the last page is exactly full', async () => {
    await addCalls(twentyCalls().slice(0, 4));
    expect((await historyPage(db, { limit: 4 })).nextCursor).toBeUndefined();
  });

  it.each([0, -1, 1.5])('rejects a limit of %d', async (limit) => {
    await expect(historyPage(db, { limit })).rejects.toThrow(RangeError);
  });
});

describe('groupByDay', () => {
  it('groups a newest-first list by Moscow day', () => {
    const at = (iso: string) => Date.parse(iso);
    const calls = [
      callRow({ callId: 'd', startedAt: at('2025-03-04T21:30:00Z'), numberKey: ANNA }), // 5 Mar 00:30 MSK
      callRow({ callId: 'c', startedAt: at('2025-03-04T20:30:00Z'), numberKey: ANNA }), // 4 Mar 23:30
      callRow({ callId: 'b', startedAt: at('2025-03-04T06:00:00Z'), numberKey: ANNA }), // 4 Mar 09:00
      callRow({ callId: 'a', startedAt: at('2025-03-03T22:00:00Z'), numberKey: ANNA }), // 4 Mar 01:00
    ];
    const groups = groupByDay(calls, createLocalClock('Europe/Moscow'));
    expect(groups.map((g) => [g.day, g.calls.map((c) => c.callId)])).toEqual([
      ['2025-03-05', ['d']],
      ['2025-03-04', ['c', 'b', 'a']],
    ]);
  });
});

describe('numberTimeline', () => {
  async function annaStory() {
    const calls = twentyCalls();
    await addCalls(calls);
    const annaCalls = calls.filter((call) => call.numberKey === ANNA);
    const callNote = await addNote(db, { callId: annaCalls[0]!.id }, 'Asked for a quote', T0 + 30_000, { unique: 'n1' });
    const numberNote = await addNote(db, { number: '8 916 111-11-11', region: 'RU' }, 'Prefers mornings', T0 + 4.5 * MIN, {
      unique: 'n2',
    });
    await addNote(db, { numberKey: BORIS }, 'Not Anna', T0 + 2 * MIN, { unique: 'n3' });
    const recordingAt = T0 + 3 * MIN + 40_000;
    await db.recordings.add({
      id: timeOrderedId(recordingAt, 'r1'),
      callId: annaCalls[1]!.id,
      numberKey: ANNA,
      createdAt: recordingAt,
      type: 'audio/webm',
      durationMs: 35_000,
      size: 3,
      blob: new Blob([new Uint8Array([1, 2, 3])]),
    });
    const message: MessageRecord = {
      id: timeOrderedId(T0 + 7.5 * MIN, 'm1'),
      messageId: 'm1',
      accountId: 'acc-1',
      direction: 'inbound',
      remoteUri: 'sip:79161111111@pbx',
      remoteRaw: '79161111111',
      remoteE164: ANNA,
      numberKey: ANNA,
      body: 'Call me back please',
      contentType: 'text/plain',
      at: T0 + 7.5 * MIN,
      status: 'received',
    };
    await db.messages.add(message);
    return { annaCalls, callNote, numberNote };
  }

  it('merges calls, notes, recordings and messages of one number, newest first', async () => {
    await annaStory();
    const { items, nextCursor } = await numberTimeline(db, ANNA, { limit: 9 });
    // Anna's calls are at minutes 0, 3, 6, 9, …, 18.
    expect(items.map((item) => `${item.kind}@${(item.at - T0) / 1000}`)).toEqual([
      'call@1080',
      'call@900',
      'call@720',
      'call@540',
      'message@450',
      'call@360',
      'note@270',
      'recording@220',
      'call@180',
    ]);
    expect(nextCursor).toBeDefined();
  });

  it('pages the merged timeline without repeats or gaps', async () => {
    await annaStory();
    const all = (await numberTimeline(db, ANNA, { limit: 100 })).items.map((item) => item.id);
    expect(all).toHaveLength(7 + 2 + 1 + 1);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await numberTimeline(db, ANNA, { limit: 4, ...(cursor ? { cursor } : {}) });
      paged.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('is empty for a number with no history', async () => {
    await annaStory();
    expect(await numberTimeline(db, '+10000000000')).toEqual({ items: [] });
  });
});

describe('searchHistory', () => {
  beforeEach(async () => {
    await addCalls(twentyCalls());
    await addCalls([
      callRow({ callId: 'ext', startedAt: T0 + 30 * MIN, numberKey: '101', remoteName: 'Reception', words: ['reception'] }),
    ]);
    await addNote(db, { numberKey: CAROL }, 'Счёт отправлен, ждём оплату', T0 + 40 * MIN, { unique: 'n1' });
    await addNote(db, { numberKey: ANNA }, 'Wants the annual plan', T0 + 41 * MIN, { unique: 'n2' });
  });

  const callIds = (calls: readonly CallRecord[]) => calls.map((call) => call.callId);

  it.each([
    { query: '1111', why: 'digit substring', numbers: [ANNA] },
    { query: '7916', why: 'digit prefix', numbers: [BORIS, ANNA] },
    { query: '+7 916 222', why: 'typed with a plus and spaces', numbers: [BORIS] },
    { query: '20 7946', why: 'London number', numbers: [CAROL] },
    { query: '10', why: 'an extension (and digits inside others)', numbers: ['101'] },
  ])('finds numbers by $why ($query), most recently called first', async ({ query, numbers }) => {
    const result = await searchHistory(db, query);
    expect(result.numbers.map((entry) => entry.id)).toEqual(numbers);
    expect(result.calls.length).toBeGreaterThan(0);
    expect(result.calls.every((call) => numbers.includes(call.numberKey))).toBe(true);
    expect(callIds(result.calls)).toEqual([...callIds(result.calls)].sort().reverse());
  });

  it('reads a whole national number in the region to its E.164 digits', async () => {
    const result = await searchHistory(db, '8 (916) 222-22-22', { region: 'RU' });
    expect(result.numbers.map((entry) => entry.id)).toEqual([BORIS]);
    expect((await searchHistory(db, '8 (916) 222-22-22')).numbers).toEqual([]);
  });

  it('does not search numbers for a single digit', async () => {
    expect((await searchHistory(db, '7')).numbers).toEqual([]);
  });

  it.each([
    { query: 'анн', calls: ANNA, why: 'Cyrillic name prefix' },
    { query: 'АННА', calls: ANNA, why: 'upper case' },
    { query: 'bor', calls: BORIS, why: 'Latin prefix' },
    { query: 'smith carol', calls: CAROL, why: 'two words in another order' },
    { query: 'ann smi', calls: CAROL, why: 'two prefixes: only Carol Ann Smith has both' },
  ])('finds calls by name: $why ($query)', async ({ query, calls }) => {
    const result = await searchHistory(db, query);
    expect(new Set(result.calls.map((call) => call.numberKey))).toEqual(new Set([calls]));
    expect(callIds(result.calls)).toEqual([...callIds(result.calls)].sort().reverse());
  });

  it('finds notes by word prefix, ё or not', async () => {
    expect((await searchHistory(db, 'счет')).notes.map((note) => note.text)).toEqual(['Счёт отправлен, ждём оплату']);
    expect((await searchHistory(db, 'ЖДЁМ опл')).notes).toHaveLength(1);
    expect((await searchHistory(db, 'annual')).notes.map((note) => note.numberKey)).toEqual([ANNA]);
    expect((await searchHistory(db, 'отправлено')).notes).toEqual([]);
  });

  it("finds a call by the words of its note, and a number by a note about it", async () => {
    const [call] = (await searchHistory(db, '7916', { limit: 1 })).calls;
    await addNote(db, { callId: call!.id }, 'Просит выставить счёт-фактуру', T0 + 42 * MIN, { unique: 'n3' });
    const byCallNote = await searchHistory(db, 'фактуру');
    expect(callIds(byCallNote.calls)).toEqual([call!.callId]);
    // CAROL's note is about her number, not a call: the search lists her number.
    const byNumberNote = await searchHistory(db, 'ждём');
    expect(byNumberNote.numbers.map((entry) => entry.id)).toEqual([CAROL]);
  });

  it('returns at most `limit` of each, the newest', async () => {
    const result = await searchHistory(db, 'анна', { limit: 2 });
    expect(callIds(result.calls)).toEqual(['call-18', 'call-15']);
    const byNumber = await searchHistory(db, '7916', { limit: 3 });
    expect(callIds(byNumber.calls)).toEqual(['call-19', 'call-18', 'call-16']);
  });

  it('finds nothing for an empty or punctuation-only query', async () => {
    expect(await searchHistory(db, '  ')).toEqual({ numbers: [], calls: [], notes: [] });
    expect(await searchHistory(db, '()-')).toEqual({ numbers: [], calls: [], notes: [] });
  });
});
