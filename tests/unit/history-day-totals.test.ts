import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import type { CallOutcome, CallRecord } from '@/lib/db/call-record';
import { analyzeCalls, type AnalyticsOptions } from '@/lib/history/analytics';
import { clearHistory, exportBackup, importBackup } from '@/lib/history/backup';
import { journalSnapshot, recoverInterruptedCalls } from '@/lib/history/call-journal';
import { relinkAllCallbacks } from '@/lib/history/callback-linking';
import { createLocalClock, startOfLocalDay, localDayOf } from '@/lib/history/local-clock';
import { loadRangeAnalytics } from '@/lib/history/range-analytics';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import type { CallSnapshot } from '@/lib/phone/phone-snapshot';
import { countReads } from '../fixtures/db/read-counter';
import { callRow, callSnapshot, openTestDb } from '../fixtures/db/test-db';
import { seededRandom as random } from '../fixtures/seeded-random';

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;
const MOSCOW = 'Europe/Moscow';
const NEW_YORK = 'America/New_York';
const RU = { region: 'RU' };

/** Moscow midnight of a day of March 2025 (UTC+3 all year). */
const mskDay = (day: number): number => Date.UTC(2025, 2, day, -3);


const numberOf = (i: number): string => `+791600000${String(i).padStart(2, '0')}`;
const NAMES = ['Анна', 'Boris', 'Carol', 'Дмитрий', undefined, undefined];
const INBOUND: CallOutcome[] = ['answered', 'answered', 'missed', 'missed', 'declined', 'interrupted'];
const OUTBOUND: CallOutcome[] = ['answered', 'answered', 'busy', 'cancelled', 'failed'];

/** 600 finished calls with 25 numbers over 20 days from 1 March 2025 (Moscow), at all hours. */
function randomHistory(seed: number): CallRecord[] {
  const rand = random(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const calls: CallRecord[] = [];
  for (let i = 0; i < 600; i += 1) {
    const startedAt = mskDay(1) + Math.floor(rand() * 20 * DAY) + i; // + i: no two calls share a millisecond
    const direction = rand() < 0.6 ? 'inbound' : 'outbound';
    const outcome = pick(direction === 'inbound' ? INBOUND : OUTBOUND);
    const answered = outcome === 'answered' || (outcome === 'interrupted' && rand() < 0.5);
    const ringMs = Math.floor(rand() * 40 * S);
    const talkMs = answered ? Math.floor(rand() * 20 * MIN) : 0;
    const name = pick(NAMES);
    calls.push(
      callRow({
        callId: `r${i}`,
        direction,
        numberKey: numberOf(Math.floor(rand() * 25)),
        startedAt,
        ringingAt: startedAt,
        ...(answered ? { answeredAt: startedAt + ringMs } : { answeredAt: undefined }),
        endedAt: startedAt + ringMs + talkMs,
        // An outbound call that never rang has no ring time.
        ringMs: direction === 'outbound' && rand() < 0.1 ? undefined : ringMs,
        talkMs,
        outcome,
        ...(name ? { remoteName: name } : {}),
      }),
    );
  }
  return calls.map((call) => Object.fromEntries(Object.entries(call).filter(([, v]) => v !== undefined)) as CallRecord);
}

/** Ranges of every kind: aligned days, partial days at either edge, inside one day, all, none. */
function ranges(timeZone: string): AnalyticsOptions[] {
  const clock = createLocalClock(timeZone);
  const midnight = (at: number): number => startOfLocalDay(clock, localDayOf(clock, at));
  const first = midnight(mskDay(1));
  return [
    { from: first, to: midnight(mskDay(22) + DAY), timeZone },
    { from: midnight(mskDay(5)), to: midnight(mskDay(12)), timeZone },
    { from: mskDay(3) + 7 * H + 13 * MIN, to: mskDay(9) + 15 * H + 2 * S, timeZone },
    { from: mskDay(8) + 10 * H, to: mskDay(8) + 18 * H, timeZone },
    { from: midnight(mskDay(10)), to: mskDay(14) + 12 * H, timeZone },
    { from: mskDay(15) + 20 * H, to: midnight(mskDay(18)), timeZone },
    { from: mskDay(1) - 2 * DAY, to: mskDay(1), timeZone },
  ];
}

/** The reference: `analyzeCalls` over every call in the database. */
async function expectTotalsToAgree(db: AppDb, timeZone: string): Promise<void> {
  const everything = await db.calls.toArray();
  for (const range of ranges(timeZone)) {
    expect(await loadRangeAnalytics(db, range), JSON.stringify(range)).toEqual(analyzeCalls(everything, range));
  }
}

let db: AppDb;

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  await db.calls.bulkAdd(randomHistory(42));
  await relinkAllCallbacks(db);
});

const inbound = (id: string, number: string, at: number, fields: Partial<CallSnapshot>): CallSnapshot =>
  callSnapshot({ id, remoteNumber: number.slice(1), remoteUri: `sip:${number.slice(1)}@pbx`, startedAt: at, ...fields });

describe('analytics from day totals', () => {
  it('agrees with analyzeCalls on a random history, built lazily and then read from the totals', async () => {
    const data = (await db.calls.toArray()).filter((call) => call.outcome === 'missed');
    expect(data.filter((call) => call.callbackAt !== undefined).length).toBeGreaterThan(20);
    await expectTotalsToAgree(db, MOSCOW);
    // Every whole day has its row now: a second read of aligned days reads no call.
    const reads = countReads(db);
    const [, aligned] = ranges(MOSCOW);
    await loadRangeAnalytics(db, aligned!);
    expect(reads.reads.values.calls ?? 0).toBe(0);
    expect(await db.dayTotals.count()).toBeGreaterThanOrEqual(20);
    await expectTotalsToAgree(db, MOSCOW);
  });

  it('stays right as the journal writes a missed call and, two days later, its callback', async () => {
    await expectTotalsToAgree(db, MOSCOW);
    const number = numberOf(3);
    const missedAt = mskDay(21) + 9 * H; // after every random call, so nothing else calls it back first
    await journalSnapshot(db, { calls: [inbound('m', number, missedAt, { state: CallState.Incoming })], recent: [] }, missedAt, RU);
    await expectTotalsToAgree(db, MOSCOW); // a ringing call is not counted yet
    const gaveUp = inbound('m', number, missedAt, { state: CallState.Ended, endedAt: missedAt + 20 * S, endReason: CallEndReason.CallerCancelled });
    await journalSnapshot(db, { calls: [], recent: [gaveUp] }, missedAt + 21 * S, RU);
    await expectTotalsToAgree(db, MOSCOW);

    // The callback lands on a later day, and changes the missed call's (earlier) day.
    const backAt = mskDay(23) + 11 * H;
    const callback = callSnapshot({
      id: 'back',
      direction: 'outbound',
      remoteNumber: number.slice(1),
      startedAt: backAt,
      state: CallState.Ended,
      endedAt: backAt + 15 * S,
      endReason: CallEndReason.Cancelled,
    });
    await journalSnapshot(db, { calls: [], recent: [callback] }, backAt + 16 * S, RU);
    const range = { from: mskDay(21), to: mskDay(22), timeZone: MOSCOW };
    const missedDay = await loadRangeAnalytics(db, range);
    expect(missedDay.callbacks.worstMs).toBeGreaterThanOrEqual(2 * DAY + 2 * H - 20 * S);
    await expectTotalsToAgree(db, MOSCOW);
  });

  it('counts an interrupted call once recovery closes it', async () => {
    await expectTotalsToAgree(db, MOSCOW);
    const at = mskDay(6) + 13 * H;
    const talking = inbound('live', numberOf(7), at, { state: CallState.Established, answeredAt: at + 5 * S });
    await journalSnapshot(db, { calls: [talking], recent: [] }, at + 6 * S, RU);
    await expectTotalsToAgree(db, MOSCOW);
    expect(await recoverInterruptedCalls(db, [], at + H)).toHaveLength(1);
    await expectTotalsToAgree(db, MOSCOW);
  });

  it('counts the days again in another time zone, and again when it comes back', async () => {
    await expectTotalsToAgree(db, MOSCOW);
    await expectTotalsToAgree(db, NEW_YORK);
    expect(new Set((await db.dayTotals.toArray()).map((row) => row.timeZone))).toContain(NEW_YORK);
    await expectTotalsToAgree(db, MOSCOW);
    await expectTotalsToAgree(db, 'Asia/Kolkata');
  });

  it('stays right after a backup is merged in, and is empty after clearing all', async () => {
    await expectTotalsToAgree(db, MOSCOW);
    const other = openTestDb();
    // Calls that answer missed calls of the history, and new missed calls.
    await other.calls.bulkAdd(randomHistory(7).map((call) => ({ ...call, id: `${call.id}x`, callId: `${call.callId}x` })));
    await importBackup(db, await exportBackup(other, { includeRecordings: false, now: mskDay(25) }));
    await expectTotalsToAgree(db, MOSCOW);
    await clearHistory(db);
    const [all] = ranges(MOSCOW);
    expect(await loadRangeAnalytics(db, all!)).toMatchObject({ calls: 0, callbacks: { missed: 0, calledBack: 0 } });
  });

  it('rejects an unknown time zone', async () => {
    await expect(loadRangeAnalytics(db, { from: 0, to: DAY, timeZone: 'Mars/Olympus' })).rejects.toThrow(RangeError);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    { zone: MOSCOW, day: '2025-03-03', start: Date.UTC(2025, 2, 2, 21) },
    { zone: 'UTC', day: '2025-03-03', start: Date.UTC(2025, 2, 3) },
    { zone: 'Asia/Kolkata', day: '2025-03-03', start: Date.UTC(2025, 2, 2, 18, 30) },
    // Berlin springs forward at 02:00 on 30 March: that day is 23 hours long.
    { zone: 'Europe/Berlin', day: '2025-03-31', start: Date.UTC(2025, 2, 30, 22) },
    { zone: 'Europe/Berlin', day: '2025-03-30', start: Date.UTC(2025, 2, 29, 23) },
    // Santiago springs forward at midnight: 7 September 2025 starts at 01:00.
    { zone: 'America/Santiago', day: '2025-09-07', start: Date.UTC(2025, 8, 7, 4) },
  ])('$zone: $day starts at $start', ({ zone, day, start }) => {
    const clock = createLocalClock(zone);
    expect(startOfLocalDay(clock, Date.parse(day) / DAY)).toBe(start);
  });
});
