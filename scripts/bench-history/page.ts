/**
 * The browser side of the history benchmark (`scripts/bench-history.ts` bundles it into one classic
 * script and drives it in Chromium): the real database code (`AppDb`, the history service the
 * background answers the panel with) over a real IndexedDB, filled with a generated year of calls.
 *
 * Defines `globalThis.HistoryBench`; every method resolves with plain numbers and strings.
 */
import { createHistoryService, type HistoryService } from '@/lib/background/history-service';
import { AppDb } from '@/lib/db/app-db';
import { callRecordId, type CallOutcome, type CallRecord } from '@/lib/db/call-record';
import type { NoteRecord } from '@/lib/db/note-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { toWords } from '@/lib/db/words';
import { loadCallAnalytics } from '@/lib/history/analytics';
import { relinkAllCallbacks } from '@/lib/history/callback-linking';
import { searchHistory } from '@/lib/history/history-queries';
import { rebuildNumberDirectory } from '@/lib/history/number-directory';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { seededRandom as random } from '../../tests/fixtures/seeded-random.ts';

const DAY_MS = 86_400_000;


const FIRST = ['Иван', 'Мария', 'Алексей', 'Ольга', 'Дмитрий', 'Анна', 'Сергей', 'Елена', 'John', 'Emma', 'Peter', 'Laura'];
const LAST = ['Петров', 'Иванова', 'Смирнов', 'Кузнецова', 'Попов', 'Соколова', 'Smith', 'Brown', 'Miller', 'Wilson'];
const NOTE_WORDS = ['перезвонить', 'счёт', 'договор', 'доставка', 'скидка', 'оплата', 'invoice', 'quote', 'demo', 'renewal', 'жалоба', 'возврат', 'встреча', 'контракт'];
const INBOUND: CallOutcome[] = ['answered', 'answered', 'answered', 'answered', 'missed', 'missed', 'declined'];
const OUTBOUND: CallOutcome[] = ['answered', 'answered', 'answered', 'busy', 'cancelled', 'failed'];

export interface SeedOptions {
  calls: number;
  notes: number;
  numbers: number;
  days: number;
  /** End of the year of history (epoch ms). */
  now: number;
}

export interface SeedResult {
  callsMs: number;
  notesMs: number;
  derivedMs: number;
  /** A number with many calls, for the timeline. */
  busyNumber: string;
  busyNumberCalls: number;
  /** Digits, a name and a note word that exist in the data. */
  queries: { digits: string; name: string; noteWord: string };
}

let db: AppDb;
let service: HistoryService;

async function seed(options: SeedOptions): Promise<SeedResult> {
  await new AppDb('bench-history').delete();
  db = new AppDb('bench-history');
  service = createHistoryService({ db, region: async () => 'RU' });
  await db.open();
  const rand = random(2025);
  const numbers = Array.from({ length: options.numbers }, (_, i) => ({
    key: `+7916${String(1_000_000 + i * 1_777).padStart(7, '0')}`,
    name: rand() < 0.6 ? `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}` : undefined,
  }));
  const start = options.now - options.days * DAY_MS;
  const calls: CallRecord[] = [];
  for (let i = 0; i < options.calls; i += 1) {
    // A few numbers call often (rand² favours the first ones), most call now and then.
    const number = numbers[Math.floor(rand() * rand() * numbers.length)]!;
    const day = Math.floor(rand() * options.days);
    const hour = 8 + Math.floor(rand() * 11);
    const startedAt = start + day * DAY_MS + hour * 3_600_000 + Math.floor(rand() * 3_600_000);
    const direction = rand() < 0.6 ? 'inbound' : 'outbound';
    const outcome = (direction === 'inbound' ? INBOUND : OUTBOUND)[Math.floor(rand() * (direction === 'inbound' ? INBOUND : OUTBOUND).length)]!;
    const ringMs = 2_000 + Math.floor(rand() * 25_000);
    const talkMs = outcome === 'answered' ? 20_000 + Math.floor(rand() * rand() * 1_200_000) : 0;
    const callId = `bench-${i}`;
    const endedAt = startedAt + ringMs + talkMs;
    calls.push({
      id: callRecordId(callId, startedAt),
      callId,
      accountId: 'acc-1',
      direction,
      remoteUri: `sip:${number.key.slice(1)}@pbx.example.com`,
      remoteRaw: number.key,
      remoteE164: number.key,
      numberKey: number.key,
      ...(number.name && direction === 'inbound' ? { remoteName: number.name } : {}),
      state: CallState.Ended,
      startedAt,
      ringingAt: startedAt,
      ...(outcome === 'answered' ? { answeredAt: startedAt + ringMs } : {}),
      endedAt,
      ringMs,
      talkMs,
      outcome,
      endReason: outcome === 'answered' ? CallEndReason.RemoteHangup : outcome === 'missed' ? CallEndReason.CallerCancelled : CallEndReason.Rejected,
      crmState: 'skipped',
      words: direction === 'inbound' ? toWords(number.name) : [],
      updatedAt: endedAt,
      lastSeenAt: endedAt,
    });
  }
  const notes: NoteRecord[] = [];
  for (let i = 0; i < options.notes; i += 1) {
    const call = calls[Math.floor(rand() * calls.length)]!;
    const text = Array.from({ length: 3 + Math.floor(rand() * 6) }, () => NOTE_WORDS[Math.floor(rand() * NOTE_WORDS.length)]).join(' ');
    const at = call.endedAt! + 30_000;
    notes.push({ id: timeOrderedId(at, `note-${i}`), callId: call.id, numberKey: call.numberKey, text, words: toWords(text), createdAt: at, updatedAt: at });
  }

  const t0 = performance.now();
  const CHUNK = 10_000;
  for (let i = 0; i < calls.length; i += CHUNK) await db.calls.bulkAdd(calls.slice(i, i + CHUNK));
  const t1 = performance.now();
  for (let i = 0; i < notes.length; i += CHUNK) await db.notes.bulkAdd(notes.slice(i, i + CHUNK));
  const t2 = performance.now();
  await db.transaction('rw', [db.calls, db.messages, db.numbers], async () => {
    await rebuildNumberDirectory(db);
    await relinkAllCallbacks(db);
  });
  const t3 = performance.now();

  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.numberKey, (counts.get(call.numberKey) ?? 0) + 1);
  const [busyNumber, busyNumberCalls] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const named = numbers.find((n) => n.name)!;
  return {
    callsMs: t1 - t0,
    notesMs: t2 - t1,
    derivedMs: t3 - t2,
    busyNumber,
    busyNumberCalls,
    queries: { digits: numbers[1_234 % numbers.length]!.key.slice(-6), name: named.name!.split(' ')[1]!, noteWord: 'договор' },
  };
}

/** Runs `action` once and resolves with its duration (ms) and a size of what it answered. */
async function time(action: () => Promise<number>): Promise<{ ms: number; size: number }> {
  const started = performance.now();
  const size = await action();
  return { ms: performance.now() - started, size };
}

const bench = {
  seed,
  timeline: (numberKey: string) => time(async () => (await service.getNumberTimeline({ numberKey })).entries.length),
  firstPage: () => time(async () => (await service.getHistoryPage({ filter: 'all', limit: 50 })).rows.length),
  missedPage: () => time(async () => (await service.getHistoryPage({ filter: 'missed', limit: 50 })).rows.length),
  search: (query: string) => time(async () => (await service.searchHistory({ query })).rows.length),
  /** How many notes the query layer finds for a query (the panel lists the calls they were written on). */
  notesMatching: async (query: string) => (await searchHistory(db, query, { region: 'RU' })).notes.length,
  analytics: (from: number, to: number, timeZone: string) =>
    time(async () => (await service.getAnalytics({ from, to, timeZone })).calls),
  /** The same analytics by reading every call of the range (what the day totals avoid). */
  analyticsScan: (from: number, to: number, timeZone: string) =>
    time(async () => (await loadCallAnalytics(db, { from, to, timeZone })).calls),
  /** Drops every day total, so the next analytics read counts the days from the calls again. */
  dropDayTotals: async () => {
    await db.dayTotals.clear();
  },
  /** What the totals take on disk, roughly: rows and their JSON size. */
  dayTotalsSize: async () => {
    const rows = await db.dayTotals.toArray();
    return { rows: rows.length, bytes: JSON.stringify(rows).length };
  },
};

export type HistoryBenchApi = typeof bench;
(globalThis as unknown as { HistoryBench: HistoryBenchApi }).HistoryBench = bench;
