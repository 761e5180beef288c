import Dexie, { type Table } from 'dexie';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { MessageRecord } from '@/lib/db/message-record';
import type { NoteRecord } from '@/lib/db/note-record';
import type { NumberEntry } from '@/lib/db/number-entry';
import type { RecordingRecord } from '@/lib/db/recording-record';
import { matchesAllWords, toWords } from '@/lib/db/words';
import type { LocalClock } from '@/lib/history/local-clock';
import { digitsOf, numberKeyOf } from '@/lib/history/number-key';

/**
 * Reads of history for the UI. Every query here reads a bounded number of rows whatever the size
 * of the database (about `limit` per table it touches), thanks to the time-ordered ids and the
 * `[x+id]` indexes of `lib/db/app-db.ts`; `tests/unit/history-query-cost.test.ts` holds them to it.
 */

const DEFAULT_LIMIT = 50;

/** Which calls a history page lists. */
export type HistoryFilter = 'all' | 'missed' | 'inbound' | 'outbound';

export interface HistoryPageRequest {
  /** @defaultValue `'all'` */
  filter?: HistoryFilter;
  /** @defaultValue 50 */
  limit?: number;
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
}

export interface HistoryPage {
  /** Newest first. */
  calls: CallRecord[];
  /** Pass back for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * One page of call history, newest first. The cursor is the last id of the previous page, so a
 * page never repeats or skips a call, even when calls are added meanwhile.
 */
export async function historyPage(db: AppDb, request: HistoryPageRequest = {}): Promise<HistoryPage> {
  const limit = checkedLimit(request.limit);
  const { cursor } = request;
  const filter = request.filter ?? 'all';
  const upper = cursor ?? Dexie.maxKey;
  const collection =
    filter === 'all'
      ? cursor === undefined
        ? db.calls.orderBy(':id')
        : db.calls.where(':id').below(cursor)
      : filter === 'missed'
        ? db.calls.where('[outcome+id]').between(['missed', Dexie.minKey], ['missed', upper], true, false)
        : db.calls.where('[direction+id]').between([filter, Dexie.minKey], [filter, upper], true, false);
  const rows = await collection.reverse().limit(limit + 1).toArray();
  return page(rows, limit, (calls, nextCursor) => ({ calls, ...(nextCursor ? { nextCursor } : {}) }));
}

/** Calls of one local day, for the day headers of the history list. */
export interface DayGroup {
  /** `YYYY-MM-DD` in the clock's time zone. */
  day: string;
  calls: CallRecord[];
}

/**
 * Groups calls listed newest first into runs of the same local day, keeping their order. Run it
 * over everything loaded so far, so a day cut by a page boundary stays one group.
 */
export function groupByDay(calls: readonly CallRecord[], clock: LocalClock): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const call of calls) {
    const day = clock.day(call.startedAt);
    const last = groups.at(-1);
    if (last?.day === day) last.calls.push(call);
    else groups.push({ day, calls: [call] });
  }
  return groups;
}

/** One entry of a number's timeline. `at` is when it happened; `id` orders entries and pages. */
export type TimelineItem =
  | { kind: 'call'; id: string; at: number; call: CallRecord }
  | { kind: 'note'; id: string; at: number; note: NoteRecord }
  | { kind: 'recording'; id: string; at: number; recording: RecordingRecord }
  | { kind: 'message'; id: string; at: number; message: MessageRecord };

export interface TimelineRequest {
  /** @defaultValue 50 */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface TimelinePage {
  /** Newest first. */
  items: TimelineItem[];
  nextCursor?: string;
}

/**
 * Everything about one number (its key, see `numberKeyOf`) merged newest first: calls, notes,
 * recordings and messages. Each table is read through its `[numberKey+id]` index for at most
 * `limit + 1` rows below the cursor; the merge keeps the newest `limit`.
 */
export async function numberTimeline(
  db: AppDb,
  numberKey: string,
  request: TimelineRequest = {},
): Promise<TimelinePage> {
  const limit = checkedLimit(request.limit);
  const upper = request.cursor ?? Dexie.maxKey;
  const newestOf = <T extends { id: string }, I>(table: Table<T, string, I>): Promise<T[]> =>
    table
      .where('[numberKey+id]')
      .between([numberKey, Dexie.minKey], [numberKey, upper], true, false)
      .reverse()
      .limit(limit + 1)
      .toArray();
  const [calls, notes, recordings, messages] = await db.transaction(
    'r',
    [db.calls, db.notes, db.recordings, db.messages],
    () => Promise.all([newestOf(db.calls), newestOf(db.notes), newestOf(db.recordings), newestOf(db.messages)]),
  );
  const items: TimelineItem[] = [
    ...calls.map((call) => ({ kind: 'call' as const, id: call.id, at: call.startedAt, call })),
    ...notes.map((note) => ({ kind: 'note' as const, id: note.id, at: note.createdAt, note })),
    ...recordings.map((recording) => ({ kind: 'recording' as const, id: recording.id, at: recording.createdAt, recording })),
    ...messages.map((message) => ({ kind: 'message' as const, id: message.id, at: message.at, message })),
  ].sort((a, b) => compareIdsNewestFirst(a.id, b.id));
  return page(items, limit, (kept, nextCursor) => ({ items: kept, ...(nextCursor ? { nextCursor } : {}) }));
}

export interface SearchOptions {
  /** Most rows of each kind returned. @defaultValue 50 */
  limit?: number;
  /**
   * Default country: a whole national number typed as a query (`8 916 123-45-67`) is also
   * looked for in its E.164 form.
   */
  region?: string;
  /**
   * Most keys read for a single common word before reading rows newest first instead.
   * @defaultValue {@link SINGLE_WORD_KEY_CAP}
   */
  singleWordKeyCap?: number;
}

export interface SearchResult {
  /** Numbers whose digits contain the query's digits, most recently called first. */
  numbers: NumberEntry[];
  /** Calls with such a number, or whose remote or contact name has words starting with the query's words; newest first. */
  calls: CallRecord[];
  /** Notes whose words start with the query's words; newest first. */
  notes: NoteRecord[];
}

/**
 * Searches history:
 * - a query of digits and phone punctuation (at least two digits) matches numbers whose digits
 *   **contain** it (so also start with it), through the number directory's keys (`numbers`, one
 *   `getAllKeys`), and the newest calls with those numbers;
 * - every query is also cut into words (`toWords`), and each must be the **prefix** of a word of a
 *   call's names or a note's text, through the multiEntry `words` indexes: keys only, and because
 *   ids are time-ordered, matches are sorted and cut to the newest before any row is read; words
 *   so common that this would read too many keys are found by reading the newest rows instead.
 */
export async function searchHistory(db: AppDb, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  const limit = checkedLimit(options.limit);
  const words = toWords(query);
  const keyCap = options.singleWordKeyCap ?? SINGLE_WORD_KEY_CAP;
  const needles = digitNeedles(query, options.region);
  if (words.length === 0 && needles.length === 0) return { numbers: [], calls: [], notes: [] };
  return db.transaction('r', [db.calls, db.notes, db.numbers], async () => {
    const [byNumber, callsByWords, notes] = await Promise.all([
      needles.length > 0 ? numbersContaining(db, needles, limit) : { numbers: [], callIds: [] },
      words.length > 0 ? rowsWithWords(db.calls, words, limit, keyCap) : [],
      words.length > 0 ? rowsWithWords(db.notes, words, limit, keyCap) : [],
    ]);
    const loaded = new Map(callsByWords.map((call) => [call.id, call]));
    // A note's words find its call too (the agent searches "invoice" to find the call they noted it on);
    // a note about a number (no call) finds the number.
    const noteCallIds = notes.flatMap((note) => (note.callId ? [note.callId] : []));
    const ids = newestIds([...byNumber.callIds, ...loaded.keys(), ...noteCallIds], limit);
    const missing = ids.filter((id) => !loaded.has(id));
    const known = new Set(byNumber.numbers.map((entry) => entry.id));
    const noteNumbers = [...new Set(notes.filter((note) => !note.callId).map((note) => note.numberKey))].filter(
      (key) => !known.has(key),
    );
    // The calls the notes were written on and the numbers of notes without a call, read together.
    const [missingCalls, numbersOfNotes] = await Promise.all([db.calls.bulkGet(missing), db.numbers.bulkGet(noteNumbers)]);
    missingCalls.forEach((call) => call && loaded.set(call.id, call));
    const calls = ids.map((id) => loaded.get(id)).filter((call) => call !== undefined);
    const numbers = [...byNumber.numbers, ...defined(numbersOfNotes)];
    return { numbers, calls, notes };
  });
}

/** Digit strings to look for in numbers: the query's digits, and its E.164 digits if it is a whole number. */
function digitNeedles(query: string, region: string | undefined): string[] {
  const trimmed = query.trim();
  if (!/^[+\d\s().\-\u00a0]+$/.test(trimmed)) return [];
  const digits = digitsOf(trimmed);
  if (digits.length < 2) return [];
  const needles = new Set([digits]);
  if (region) {
    const { e164 } = numberKeyOf(trimmed, region);
    if (e164) needles.add(digitsOf(e164));
  }
  return [...needles];
}

/** Up to this many matching numbers are read and sorted; beyond, the directory is read by recency. */
const SPARSE_NUMBERS = 300;

/**
 * Numbers whose digits contain a needle, most recently called first, and the newest call ids
 * among them. The directory's keys are scanned in memory (a substring has no index); then:
 * - few matches: their directory rows are read and sorted by `lastAt`;
 * - many matches (a short query): the directory is read newest first through `[lastAt+id]` until
 *   `limit` matches, so a query matching every number costs about one page, not the directory.
 * The newest `limit` calls of the matching numbers can only belong to the `limit` most recently
 * called of them, so only those are read, each for its newest `limit` ids.
 */
async function numbersContaining(
  db: AppDb,
  needles: readonly string[],
  limit: number,
): Promise<{ numbers: NumberEntry[]; callIds: string[] }> {
  const keys = await db.numbers.toCollection().primaryKeys();
  const matched = keys.filter((key) => {
    const digits = digitsOf(key);
    return digits.length > 0 && needles.some((needle) => digits.includes(needle));
  });
  const wanted = new Set(matched);
  const numbers =
    matched.length <= SPARSE_NUMBERS
      ? defined(await db.numbers.bulkGet(matched))
          .sort((a, b) => b.lastAt - a.lastAt || (a.id < b.id ? 1 : -1))
          .slice(0, limit)
      : await scanNewestFirst<NumberEntry>(
          (upper, count) =>
            db.numbers
              .where('[lastAt+id]')
              .below(upper ? [upper.lastAt, upper.id] : [Dexie.maxKey, Dexie.maxKey])
              .reverse()
              .limit(count)
              .toArray(),
          (entry) => wanted.has(entry.id),
          limit,
        );
  const perNumber = await Promise.all(
    numbers.map((entry) =>
      db.calls
        .where('[numberKey+id]')
        .between([entry.id, Dexie.minKey], [entry.id, Dexie.maxKey])
        .reverse()
        .limit(limit)
        .primaryKeys(),
    ),
  );
  return { numbers, callIds: newestIds(perNumber.flat(), limit) };
}

/**
 * Most keys of one word's index range read to sort its matches by time. A word with more matches
 * is common enough that reading rows newest first finds `limit` of them sooner. The cap balances
 * the two worst cases (K keys read, or N × limit / K rows read for N rows): with keys about as
 * costly as rows, K ≈ √(N × limit) ≈ 2,236 for 100,000 rows and pages of 50.
 */
export const WORD_KEY_CAP = 2_500;

/**
 * Most keys read for a single common word before falling back to reading rows newest first: keys
 * come from the index without the rows, several times cheaper per entry than whole rows, so up to
 * this many are worth sorting; beyond (a one-letter prefix), matches are dense and the newest rows
 * find `limit` of them at once.
 */
export const SINGLE_WORD_KEY_CAP = 30_000;

/**
 * The newest `limit` rows whose words match every query word by prefix, from the `words` index:
 * - one word: its ids (keys only) up to {@link SINGLE_WORD_KEY_CAP}, sorted newest first (ids are
 *   time-ordered), and the newest `limit` rows read; past the cap, rows are read newest first
 *   until `limit` match;
 * - several words: each word's ids up to {@link WORD_KEY_CAP}; if some words are rare (fewer ids
 *   than the cap), their id sets are intersected and the rows read newest first a chunk at a time,
 *   checking the other words, until `limit` match; if every word is common, their complete id
 *   sets are intersected.
 */
async function rowsWithWords<T extends { id: string; words: string[] }, I>(
  table: Table<T, string, I>,
  words: readonly string[],
  limit: number,
  singleWordKeyCap: number,
): Promise<T[]> {
  const idsOf = (word: string, cap?: number): Promise<string[]> => {
    const range = table.where('words').startsWith(word);
    return (cap === undefined ? range : range.limit(cap)).primaryKeys();
  };
  const allMatch = (row: T) => matchesAllWords(row.words, words);
  if (words.length === 1) {
    // Few distinct words start with it (the usual case): the newest of each, straight from the index.
    const newest = await newestIdsByPrefix(table, words[0]!, limit);
    if (newest) return defined(await table.bulkGet(newest));
    // One word: its keys sorted newest first (a surname on 3 % of 100,000 calls is ~3,000 keys,
    // against ~1,700 whole rows read newest first); past the cap (a one-letter prefix) matches are
    // dense and the newest rows find `limit` of them at once.
    const ids = await idsOf(words[0]!, singleWordKeyCap);
    if (ids.length < singleWordKeyCap) return defined(await table.bulkGet(newestIds(ids, limit)));
    return scanNewestFirst(
      (after, count) => (after ? table.where(':id').below(after.id) : table.orderBy(':id')).reverse().limit(count).toArray(),
      allMatch,
      limit,
    );
  }
  const capped = await Promise.all(words.map((word) => idsOf(word, WORD_KEY_CAP)));
  const rare = capped.filter((ids) => ids.length < WORD_KEY_CAP);
  if (rare.length > 0) {
    const candidates = newestIds(intersect(rare), Infinity);
    if (rare.length === words.length) return defined(await table.bulkGet(candidates.slice(0, limit)));
    const found: T[] = [];
    for (let start = 0; start < candidates.length && found.length < limit; start += WORD_CHECK_CHUNK) {
      for (const row of defined(await table.bulkGet(candidates.slice(start, start + WORD_CHECK_CHUNK)))) {
        if (allMatch(row) && found.length < limit) found.push(row);
      }
    }
    return found;
  }
  const complete = await Promise.all(words.map((word) => idsOf(word)));
  return defined(await table.bulkGet(newestIds(intersect(complete), limit)));
}

/** Most distinct indexed words under one prefix that {@link newestIdsByPrefix} visits one by one. */
export const PREFIX_WORDS_VISITED = 16;

/**
 * The newest `limit` ids of rows with a word starting with `prefix`, or `undefined` when more than
 * {@link PREFIX_WORDS_VISITED} distinct words start with it. Within one word the multiEntry index
 * holds its rows in id order, and ids are time-ordered, so the newest rows of a word are the end of
 * its range: each distinct word costs two short reads (find it, take its last `limit` ids), however
 * many rows carry it. A common word ("договор" on a third of the notes) no longer means reading all
 * its keys to sort them. Finding the distinct words costs one key each, at most
 * {@link PREFIX_WORDS_VISITED} + 1 before giving up.
 */
async function newestIdsByPrefix<T, I>(
  table: Table<T, string, I>,
  prefix: string,
  limit: number,
): Promise<string[] | undefined> {
  const upper = `${prefix}\uffff`;
  const distinct: string[] = [];
  for (let from = prefix, inclusive = true; ; inclusive = false) {
    const [word] = (await table.where('words').between(from, upper, inclusive, true).limit(1).keys()) as string[];
    if (word === undefined) break;
    if (distinct.length === PREFIX_WORDS_VISITED) return undefined;
    distinct.push(word);
    from = word;
  }
  const newest = await Promise.all(distinct.map((word) => table.where('words').equals(word).reverse().limit(limit).primaryKeys()));
  return newestIds(newest.flat(), limit);
}

/** Rows read per round while checking the other words of a query on rare-word candidates. */
const WORD_CHECK_CHUNK = 200;

/** Ids present in every list. */
function intersect(lists: readonly (readonly string[])[]): string[] {
  const [smallest, ...others] = [...lists].sort((a, b) => a.length - b.length);
  const sets = others.map((ids) => new Set(ids));
  return smallest!.filter((id) => sets.every((set) => set.has(id)));
}

/** First chunk of rows read by {@link scanNewestFirst}; each next one is twice as large. */
const FIRST_SCAN_CHUNK = 100;
const LARGEST_SCAN_CHUNK = 1_600;

/**
 * Reads rows newest first in growing chunks (`read` continues after the last row it was given) and
 * keeps those that pass `keep`, until `limit` are kept or
 * the rows run out. Meant for matches common enough that few chunks are needed.
 */
async function scanNewestFirst<T extends { id: string }>(
  read: (after: T | undefined, count: number) => Promise<T[]>,
  keep: (row: T) => boolean,
  limit: number,
): Promise<T[]> {
  const found: T[] = [];
  let last: T | undefined;
  for (let count = FIRST_SCAN_CHUNK; found.length < limit; count = Math.min(count * 2, LARGEST_SCAN_CHUNK)) {
    const rows = await read(last, count);
    for (const row of rows) {
      if (keep(row)) found.push(row);
      if (found.length === limit) break;
    }
    if (rows.length < count) break;
    last = rows.at(-1);
  }
  return found;
}

/** Distinct ids, newest first (ids are time-ordered), at most `limit`. */
function newestIds(ids: readonly string[], limit: number): string[] {
  return [...new Set(ids)].sort(compareIdsNewestFirst).slice(0, limit);
}

function compareIdsNewestFirst(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function defined<T>(rows: readonly (T | undefined)[]): T[] {
  return rows.filter((row) => row !== undefined);
}

/** Cuts `limit + 1` rows read to a page of `limit` and the cursor that continues after it. */
function page<T extends { id: string }, P>(rows: T[], limit: number, make: (kept: T[], nextCursor?: string) => P): P {
  if (rows.length <= limit) return make(rows);
  const kept = rows.slice(0, limit);
  return make(kept, kept.at(-1)!.id);
}

function checkedLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`limit must be a positive integer: ${value}`);
  return value;
}
