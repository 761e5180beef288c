import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import { callRecordId, type CallRecord } from '@/lib/db/call-record';
import { journalSnapshot } from '@/lib/history/call-journal';
import { deriveOutcome } from '@/lib/history/call-outcome';
import {
  dismissMissedCalls,
  groupMissedCalls,
  handledByCallback,
  isMissedToHandle,
  missedCallsToHandle,
} from '@/lib/history/missed-calls';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { callRow, callSnapshot, openTestDb, T0 } from '../fixtures/db/test-db';

const RU = { region: 'RU' };
const MIN = 60_000;
const HOUR = 60 * MIN;
let db: AppDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = openTestDb();
});

const ended = (...recent: CallSnapshot[]): Pick<PhoneSnapshot, 'calls' | 'recent'> => ({ calls: [], recent });
const live = (...calls: CallSnapshot[]): Pick<PhoneSnapshot, 'calls' | 'recent'> => ({ calls, recent: [] });

/** Alice (+7 916 123-45-67) calls and gives up after 20 s. */
function aliceGivesUp(id: string, at: number): CallSnapshot {
  return callSnapshot({ id, startedAt: at, state: CallState.Ended, endedAt: at + 20_000, endReason: CallEndReason.CallerCancelled });
}

/** The agent dials Alice back as the list does (her E.164). */
const callback = (id: string, at: number, state: CallState, answeredAt?: number): CallSnapshot =>
  callSnapshot({
    id,
    direction: 'outbound',
    remoteUri: 'sip:+79161234567@pbx.example.com',
    remoteNumber: '+79161234567',
    startedAt: at,
    state,
    ...(answeredAt === undefined ? {} : { answeredAt }),
    ...(state === CallState.Ended ? { endedAt: at + 5 * MIN, endReason: CallEndReason.LocalHangup } : {}),
  });

const row = (overrides: Partial<CallRecord> & Pick<CallRecord, 'callId' | 'startedAt' | 'numberKey'>): CallRecord =>
  callRow(overrides);

describe('missed calls to handle: rules', () => {
  it.each([
    { what: 'a missed call', over: {}, expected: true },
    { what: 'a missed call marked done', over: { missedHandledAt: T0, missedHandledBy: 'dismissed' as const }, expected: false },
    { what: 'a missed call called back', over: { missedHandledAt: T0, missedHandledBy: 'callback' as const }, expected: false },
    { what: 'an answered call', over: { answeredAt: T0 + 1000, outcome: 'answered' as const }, expected: false },
    { what: 'a declined call', over: { outcome: 'declined' as const }, expected: false },
  ])('$what is to handle: $expected', ({ over, expected }) => {
    expect(isMissedToHandle(row({ callId: 'c', startedAt: T0, numberKey: '+79161234567', ...over }))).toBe(expected);
  });

  it('groups several missed calls of one number into one entry, newest first, with the latest name', () => {
    const rows = [
      row({ callId: 'a3', startedAt: T0 + 3 * MIN, numberKey: '+79161234567' }),
      row({ callId: 'b1', startedAt: T0 + 2 * MIN, numberKey: '101', remoteName: 'Reception', refusal: 'lines-busy' }),
      row({ callId: 'a2', startedAt: T0 + MIN, numberKey: '+79161234567', remoteName: 'Alice', refusal: 'dnd' }),
      row({ callId: 'a1', startedAt: T0, numberKey: '+79161234567', remoteName: 'Alice (old)' }),
      row({ callId: 'a0', startedAt: T0 - MIN, numberKey: '+79161234567', missedHandledAt: T0, missedHandledBy: 'dismissed' }),
    ];
    expect(groupMissedCalls(rows)).toEqual([
      {
        numberKey: '+79161234567',
        ids: [callRecordId('a3', T0 + 3 * MIN), callRecordId('a2', T0 + MIN), callRecordId('a1', T0)],
        lastAt: T0 + 3 * MIN,
        remoteRaw: '+79161234567',
        remoteE164: '+79161234567',
        remoteName: 'Alice',
        refused: 1,
        busy: 0,
      },
      // Reception called while both lines were in use: it heard busy, and is a missed call to return.
      {
        numberKey: '101',
        ids: [callRecordId('b1', T0 + 2 * MIN)],
        lastAt: T0 + 2 * MIN,
        remoteRaw: '101',
        remoteName: 'Reception',
        refused: 0,
        busy: 1,
      },
    ]);
  });

  it('a connected callback handles the earlier missed calls of its number only', () => {
    const missed = row({ callId: 'm', startedAt: T0, numberKey: '+79161234567' });
    const other = row({ callId: 'o', startedAt: T0, numberKey: '+74951234567' });
    const later = row({ callId: 'l', startedAt: T0 + 10 * MIN, numberKey: '+79161234567' });
    const back = row({ callId: 'cb', direction: 'outbound', startedAt: T0 + 5 * MIN, answeredAt: T0 + 5 * MIN + 4000, numberKey: '+79161234567', outcome: 'answered' });
    expect(handledByCallback([missed, other, later], back, T0 + 6 * MIN)).toEqual([
      { ...missed, missedHandledAt: T0 + 5 * MIN + 4000, missedHandledBy: 'callback', updatedAt: T0 + 6 * MIN },
    ]);
  });

  it('a callback nobody answered handles nothing', () => {
    const missed = row({ callId: 'm', startedAt: T0, numberKey: '+79161234567' });
    const back = row({ callId: 'cb', direction: 'outbound', startedAt: T0 + MIN, numberKey: '+79161234567', outcome: 'busy' });
    expect(handledByCallback([missed], back, T0 + 2 * MIN)).toEqual([]);
  });

  it('a call refused under Do not disturb is missed, not declined', () => {
    expect(deriveOutcome({ direction: 'inbound', answered: false, endReason: CallEndReason.Declined, sipCode: 486, refused: true })).toBe('missed');
    expect(deriveOutcome({ direction: 'inbound', answered: false, endReason: CallEndReason.Declined, sipCode: 486 })).toBe('declined');
  });
});

describe('missed calls to handle: the journal', () => {
  it('Alice gives up twice; the agent calls back, it rings, then she answers: both are handled by that callback', async () => {
    const first = await journalSnapshot(db, ended(aliceGivesUp('m1', T0)), T0 + 21_000, RU);
    expect(first.missed).toEqual({ added: ['+79161234567'], resolved: 0 });
    await journalSnapshot(db, ended(aliceGivesUp('m2', T0 + MIN)), T0 + MIN + 21_000, RU);
    expect((await missedCallsToHandle(db)).count).toBe(2);

    const ringing = await journalSnapshot(db, live(callback('cb', T0 + 2 * MIN, CallState.Ringing)), T0 + 2 * MIN + 500, RU);
    expect(ringing.missed).toBeUndefined();
    expect((await missedCallsToHandle(db)).count).toBe(2);

    const answered = await journalSnapshot(
      db,
      live(callback('cb', T0 + 2 * MIN, CallState.Established, T0 + 2 * MIN + 6000)),
      T0 + 2 * MIN + 6100,
      RU,
    );
    expect(answered.missed).toEqual({ added: [], resolved: 2 });
    const rows = await db.calls.bulkGet([callRecordId('m1', T0), callRecordId('m2', T0 + MIN)]);
    for (const missed of rows) {
      expect(missed).toMatchObject({ outcome: 'missed', missedHandledBy: 'callback', missedHandledAt: T0 + 2 * MIN + 6000, callbackAt: T0 + 2 * MIN });
    }
    expect(await missedCallsToHandle(db)).toEqual({ groups: [], count: 0, more: false });

    // The same snapshot again (a replay after a worker restart) changes nothing.
    const replay = await journalSnapshot(db, live(callback('cb', T0 + 2 * MIN, CallState.Established, T0 + 2 * MIN + 6000)), T0 + 3 * MIN, RU);
    expect(replay).toEqual({ written: [] });
  });

  it('a call missed after the callback connected stays to handle', async () => {
    await journalSnapshot(db, ended(aliceGivesUp('m1', T0)), T0 + 21_000, RU);
    await journalSnapshot(db, ended(callback('cb', T0 + MIN, CallState.Ended, T0 + MIN + 3000)), T0 + 7 * MIN, RU);
    await journalSnapshot(db, ended(aliceGivesUp('m2', T0 + 10 * MIN)), T0 + 11 * MIN, RU);
    const { groups, count } = await missedCallsToHandle(db);
    expect(count).toBe(1);
    expect(groups[0]?.ids).toEqual([callRecordId('m2', T0 + 10 * MIN)]);
  });

  it('a missed call journaled only after its callback connected (a stopped worker) is handled at once', async () => {
    await journalSnapshot(db, live(callSnapshot({ id: 'm1', startedAt: T0 })), T0 + 100, RU);
    await journalSnapshot(db, ended(callback('cb', T0 + MIN, CallState.Ended, T0 + MIN + 3000)), T0 + 7 * MIN, RU);
    const late = await journalSnapshot(db, ended(aliceGivesUp('m1', T0)), T0 + 8 * MIN, RU);
    expect(late.missed).toEqual({ added: [], resolved: 1 });
    expect(await db.calls.get(callRecordId('m1', T0))).toMatchObject({ missedHandledBy: 'callback' });
  });

  it('a call refused under Do not disturb is journaled as missed with its marker', async () => {
    const refused = callSnapshot({
      id: 'dnd',
      state: CallState.Ended,
      endedAt: T0,
      endReason: CallEndReason.Declined,
      sipCode: 486,
      refusal: 'dnd',
    });
    const result = await journalSnapshot(db, ended(refused), T0 + 10, RU);
    expect(result.missed?.added).toEqual(['+79161234567']);
    expect(await db.calls.get(callRecordId('dnd', T0))).toMatchObject({ outcome: 'missed', refusal: 'dnd', sipCode: 486, hangupBy: 'local' });
    expect((await missedCallsToHandle(db)).groups[0]).toMatchObject({ refused: 1 });
  });
});

describe('missed calls to handle: Done and counting', () => {
  beforeEach(async () => {
    await db.calls.bulkPut([
      row({ callId: 'a1', startedAt: T0, numberKey: '+79161234567' }),
      row({ callId: 'a2', startedAt: T0 + MIN, numberKey: '+79161234567' }),
      row({ callId: 'b1', startedAt: T0 + 2 * MIN, numberKey: '101' }),
      row({ callId: 'ok', startedAt: T0 + 3 * MIN, numberKey: '101', answeredAt: T0 + 3 * MIN + 1000, outcome: 'answered' }),
    ]);
  });

  it('Done on one number marks only its calls, as dismissed', async () => {
    expect(await dismissMissedCalls(db, '+79161234567', T0 + HOUR)).toBe(2);
    expect(await db.calls.get(callRecordId('a1', T0))).toMatchObject({ missedHandledAt: T0 + HOUR, missedHandledBy: 'dismissed' });
    const { count, groups } = await missedCallsToHandle(db);
    expect([count, groups.map((g) => g.numberKey)]).toEqual([1, ['101']]);
  });

  it('All done marks every missed call, and doing it again marks nothing', async () => {
    expect(await dismissMissedCalls(db, undefined, T0 + HOUR)).toBe(3);
    expect(await dismissMissedCalls(db, undefined, T0 + 2 * HOUR)).toBe(0);
    expect((await missedCallsToHandle(db)).count).toBe(0);
  });

  it('looks at a bounded number of missed rows and says when there were more', async () => {
    expect(await missedCallsToHandle(db, 2)).toMatchObject({ count: 2, more: true });
    expect(await missedCallsToHandle(db, 3)).toMatchObject({ count: 3, more: false });
  });
});


