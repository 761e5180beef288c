import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { analyzeCalls, loadCallAnalytics, type HourStats } from '@/lib/history/analytics';
import { createLocalClock, dayName } from '@/lib/history/local-clock';
import { A, B, C, CALLS, D, msk, OUTSIDE, RANGE } from '../fixtures/db/analytics-calls';
import { openTestDb } from '../fixtures/db/test-db';

beforeEach(() => {
  fakeBrowser.reset();
});

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;
const everything = [OUTSIDE.before, ...CALLS, OUTSIDE.inProgress, OUTSIDE.inboundAfter, OUTSIDE.callbackAfter];

/** The answers, worked out by hand from the comments in `tests/fixtures/db/analytics-calls.ts`. */
describe('analyzeCalls on twelve calls over three days (hand-checked)', () => {
  const result = analyzeCalls(everything, RANGE);

  it('counts calls by direction and outcome, leaving out calls outside the range and in progress', () => {
    expect(result).toMatchObject({ calls: 12, inbound: 8, outbound: 4, answered: 4, missed: 5 });
    expect(result.outcomes).toEqual({
      answered: 4,
      missed: 5,
      declined: 1,
      busy: 1,
      failed: 0,
      cancelled: 1,
      interrupted: 0,
    });
  });

  it('sums talk time and averages ring and talk time over answered calls', () => {
    // c01 120 s + c03 300 s + c07 600 s + c11 240 s
    expect(result.talkMs).toBe(1_260 * S);
    // rings of the answered calls: 10 + 8 + 5 + 6 = 29 s over 4
    expect(result.averageRingMs).toBe(7_250);
    expect(result.averageTalkMs).toBe(315 * S);
  });

  it('splits by local day (c04 at 23:30 and c05 at 00:10 Moscow fall on different days)', () => {
    expect(result.byDay).toEqual([
      { day: '2025-03-03', calls: 4, inbound: 3, outbound: 1, answered: 2, missed: 2, talkMs: 420 * S },
      { day: '2025-03-04', calls: 4, inbound: 2, outbound: 2, answered: 1, missed: 1, talkMs: 600 * S },
      { day: '2025-03-05', calls: 4, inbound: 3, outbound: 1, answered: 1, missed: 2, talkMs: 240 * S },
    ]);
  });

  it('splits by local hour of day', () => {
    const busy = result.byHour.filter((hour) => hour.calls > 0);
    const expected: HourStats[] = [
      { hour: 0, calls: 1, inbound: 1, outbound: 0, answered: 0, missed: 1, talkMs: 0 },
      { hour: 9, calls: 4, inbound: 4, outbound: 0, answered: 1, missed: 2, talkMs: 120 * S },
      { hour: 10, calls: 1, inbound: 0, outbound: 1, answered: 1, missed: 0, talkMs: 300 * S },
      { hour: 11, calls: 1, inbound: 0, outbound: 1, answered: 0, missed: 0, talkMs: 0 },
      { hour: 14, calls: 2, inbound: 1, outbound: 1, answered: 1, missed: 0, talkMs: 600 * S },
      { hour: 16, calls: 1, inbound: 0, outbound: 1, answered: 1, missed: 0, talkMs: 240 * S },
      { hour: 23, calls: 2, inbound: 2, outbound: 0, answered: 0, missed: 2, talkMs: 0 },
    ];
    expect(busy).toEqual(expected);
    expect(result.byHour).toHaveLength(24);
  });

  it('times callbacks: first later outbound call to the same number, answered or not', () => {
    // c02 (B, ended 09:40:20) → c03 at 10:05:00: 24 min 40 s
    // c04 (C, ended 23:30:30) → c06 (busy) at 11:00:00 next day: 11 h 29 min 30 s
    // c05 (C, ended 00:10:15) → c06 at 11:00:00: 10 h 49 min 45 s
    // c09 (D): the only outbound call to D (c08) came before it: never called back
    // c12 (B, ended 23:59:40) → c13 at 08:00:00 on the 6th, after the range: 8 h 0 min 20 s
    const delays = [24 * MIN + 40 * S, 11 * H + 29 * MIN + 30 * S, 10 * H + 49 * MIN + 45 * S, 8 * H + 20 * S];
    expect(delays.reduce((a, b) => a + b) / 4).toBe(27_663_750);
    expect(result.callbacks).toEqual({
      missed: 5,
      calledBack: 4,
      neverCalledBack: 1,
      averageMs: 27_663_750,
      worstMs: 41_370_000,
    });
  });

  it('ranks numbers by calls and by talk time, with their latest name', () => {
    expect(result.topByCalls).toEqual([
      { numberKey: A, name: 'Anna K.', calls: 4, talkMs: 960 * S },
      { numberKey: B, name: 'Boris', calls: 3, talkMs: 300 * S },
      { numberKey: C, name: 'Carol', calls: 3, talkMs: 0 },
      { numberKey: D, calls: 2, talkMs: 0 },
    ]);
    expect(result.topByTalk.map((n) => [n.numberKey, n.talkMs])).toEqual([
      [A, 960 * S],
      [B, 300 * S],
    ]);
    expect(analyzeCalls(CALLS, { ...RANGE, top: 1 }).topByCalls.map((n) => n.numberKey)).toEqual([A]);
  });

  it('without the callback after the range, c12 counts as never called back', () => {
    expect(analyzeCalls(CALLS, RANGE).callbacks).toMatchObject({ calledBack: 3, neverCalledBack: 2, worstMs: 41_370_000 });
  });

  it("takes a callback after the range from the missed call's callbackAt", () => {
    const linked = CALLS.map((call) => (call.callId === 'c12' ? { ...call, callbackAt: msk(6, 8, 0) } : call));
    expect(analyzeCalls(linked, RANGE).callbacks).toEqual(result.callbacks);
  });

  it('takes the earlier of a callback seen in the range and a stored callbackAt', () => {
    // c04's stored link says 12:00 on the 4th, but c06 at 11:00 came first.
    const linked = CALLS.map((call) => (call.callId === 'c04' ? { ...call, callbackAt: msk(4, 12, 0) } : call));
    expect(analyzeCalls(linked, RANGE).callbacks.worstMs).toBe(41_370_000);
    const later = CALLS.map((call) => (call.callId === 'c09' ? { ...call, callbackAt: msk(5, 9, 10, 25) } : call));
    expect(analyzeCalls(later, RANGE).callbacks).toMatchObject({ calledBack: 4, neverCalledBack: 1 });
  });

  it('gives zero-filled days and no averages for an empty range', () => {
    const empty = analyzeCalls([], { from: msk(10, 0, 0), to: msk(12, 0, 0), timeZone: 'Europe/Moscow' });
    expect(empty.byDay.map((day) => [day.day, day.calls])).toEqual([
      ['2025-03-10', 0],
      ['2025-03-11', 0],
    ]);
    expect(empty.averageRingMs).toBeUndefined();
    expect(empty.averageTalkMs).toBeUndefined();
    expect(empty.callbacks).toEqual({ missed: 0, calledBack: 0, neverCalledBack: 0 });
  });
});

describe('loadCallAnalytics', () => {
  it('reads the range from the database; callbacks after it come from callbackAt', async () => {
    const db = openTestDb();
    const linked = everything.map((call) => (call.callId === 'c12' ? { ...call, callbackAt: msk(6, 8, 0) } : call));
    await db.calls.bulkAdd(linked);
    expect(await loadCallAnalytics(db, RANGE)).toEqual(analyzeCalls(everything, RANGE));
  });

  it('reads nothing beyond the range', async () => {
    const db = openTestDb();
    await db.calls.bulkAdd(everything);
    expect((await loadCallAnalytics(db, RANGE)).callbacks).toMatchObject({ calledBack: 3, neverCalledBack: 2 });
  });
});

describe('createLocalClock', () => {
  it.each([
    { zone: 'Europe/Moscow', at: Date.UTC(2025, 2, 3, 20, 59), day: '2025-03-03', hour: 23 },
    { zone: 'Europe/Moscow', at: Date.UTC(2025, 2, 3, 21, 0), day: '2025-03-04', hour: 0 },
    { zone: 'UTC', at: Date.UTC(2025, 2, 3, 21, 0), day: '2025-03-03', hour: 21 },
    { zone: 'Europe/Berlin', at: Date.UTC(2025, 2, 30, 0, 30), day: '2025-03-30', hour: 1 },
    { zone: 'Europe/Berlin', at: Date.UTC(2025, 2, 30, 1, 30), day: '2025-03-30', hour: 3 },
    { zone: 'Asia/Kolkata', at: Date.UTC(2025, 2, 3, 18, 45), day: '2025-03-04', hour: 0 },
    { zone: 'America/New_York', at: Date.UTC(2025, 0, 1, 3, 0), day: '2024-12-31', hour: 22 },
  ])('$zone: $at is $day, hour $hour', ({ zone, at, day, hour }) => {
    const clock = createLocalClock(zone);
    expect(clock.day(at)).toBe(day);
    expect(clock.hour(at)).toBe(hour);
  });

  it('names day numbers', () => {
    expect(dayName(Date.UTC(2024, 1, 29) / 86_400_000)).toBe('2024-02-29');
  });
});
