import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import { callRecordId } from '@/lib/db/call-record';
import { journalSnapshot, recoverInterruptedCalls, touchLiveCalls } from '@/lib/history/call-journal';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { callSnapshot, openTestDb, T0 } from '../fixtures/db/test-db';

const RU = { region: 'RU' };
let db: AppDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = openTestDb();
});

const live = (...calls: CallSnapshot[]): Pick<PhoneSnapshot, 'calls' | 'recent'> => ({ calls, recent: [] });
const ended = (...recent: CallSnapshot[]): Pick<PhoneSnapshot, 'calls' | 'recent'> => ({ calls: [], recent });

/** Alice (+7 916 123-45-67) calls the agent, who answers after 8 s; Alice hangs up a minute later. */
const alice = {
  ringing: callSnapshot({ id: 'alice', state: CallState.Incoming }),
  answering: callSnapshot({ id: 'alice', state: CallState.Answering }),
  talking: callSnapshot({ id: 'alice', state: CallState.Established, answeredAt: T0 + 8_000 }),
  over: callSnapshot({
    id: 'alice',
    state: CallState.Ended,
    answeredAt: T0 + 8_000,
    endedAt: T0 + 68_000,
    endReason: CallEndReason.RemoteHangup,
  }),
};
const aliceId = callRecordId('alice', T0);

/** The agent dials Bob (a London number typed with spaces); it rings after 1.5 s, Bob answers at 6 s. */
const bobBase = {
  id: 'bob',
  direction: 'outbound' as const,
  remoteUri: 'sip:+442079460958@pbx.example.com',
  remoteNumber: '+44 20 7946 0958',
};
const bob = {
  dialing: callSnapshot({ ...bobBase, state: CallState.Dialing }),
  ringing: callSnapshot({ ...bobBase, state: CallState.Ringing }),
  talking: callSnapshot({ ...bobBase, state: CallState.Established, answeredAt: T0 + 6_000 }),
  over: callSnapshot({
    ...bobBase,
    state: CallState.Ended,
    answeredAt: T0 + 6_000,
    endedAt: T0 + 36_000,
    endReason: CallEndReason.LocalHangup,
  }),
};
const bobId = callRecordId('bob', T0);

describe('journalSnapshot', () => {
  it('writes an inbound call when it starts ringing and follows it to its end', async () => {
    await journalSnapshot(db, live(alice.ringing), T0 + 50, RU);
    expect(await db.calls.get(aliceId)).toMatchObject({
      callId: 'alice',
      direction: 'inbound',
      remoteRaw: '79161234567',
      remoteE164: '+79161234567',
      numberKey: '+79161234567',
      state: CallState.Incoming,
      ringingAt: T0,
      updatedAt: T0 + 50,
    });
    expect((await db.calls.get(aliceId))?.outcome).toBeUndefined();

    await journalSnapshot(db, live(alice.answering), T0 + 7_900, RU);
    expect((await db.calls.get(aliceId))?.state).toBe(CallState.Answering);
    await journalSnapshot(db, live(alice.talking), T0 + 8_100, RU);
    expect(await db.calls.get(aliceId)).toMatchObject({ state: CallState.Established, answeredAt: T0 + 8_000 });

    await journalSnapshot(db, ended(alice.over), T0 + 68_200, RU);
    const row = await db.calls.get(aliceId);
    expect(row).toMatchObject({
      state: CallState.Ended,
      outcome: 'answered',
      endedAt: T0 + 68_000,
      ringMs: 8_000,
      talkMs: 60_000,
      hangupBy: 'remote',
      endReason: CallEndReason.RemoteHangup,
      crmState: 'pending',
      updatedAt: T0 + 68_200,
    });
    expect(await db.numbers.get('+79161234567')).toEqual({ id: '+79161234567', lastAt: T0 });
  });

  it('times an outbound call from its first ring, and keeps the number as dialled beside E.164', async () => {
    await journalSnapshot(db, live(bob.dialing), T0 + 10, RU);
    expect((await db.calls.get(bobId))?.ringingAt).toBeUndefined();
    await journalSnapshot(db, live(bob.ringing), T0 + 1_500, RU);
    await journalSnapshot(db, live(bob.talking), T0 + 6_050, RU);
    await journalSnapshot(db, ended(bob.over), T0 + 36_020, RU);
    expect(await db.calls.get(bobId)).toMatchObject({
      direction: 'outbound',
      remoteRaw: '+44 20 7946 0958',
      remoteE164: '+442079460958',
      numberKey: '+442079460958',
      ringingAt: T0 + 1_500,
      ringMs: 4_500,
      talkMs: 30_000,
      outcome: 'answered',
      hangupBy: 'local',
    });
  });

  it('records a missed call: the caller gave up after 25 s of ringing', async () => {
    await journalSnapshot(db, live(alice.ringing), T0, RU);
    const gaveUp = callSnapshot({
      id: 'alice',
      state: CallState.Ended,
      endedAt: T0 + 25_000,
      endReason: CallEndReason.CallerCancelled,
    });
    await journalSnapshot(db, ended(gaveUp), T0 + 25_010, RU);
    expect(await db.calls.get(aliceId)).toMatchObject({ outcome: 'missed', ringMs: 25_000, talkMs: 0, hangupBy: 'remote' });
  });

  it('records a busy outbound call that never rang, with its SIP cause', async () => {
    const busy = callSnapshot({
      ...bobBase,
      state: CallState.Ended,
      endedAt: T0 + 900,
      endReason: CallEndReason.Rejected,
      sipCode: 486,
    });
    await journalSnapshot(db, ended(busy), T0 + 950, RU);
    const row = await db.calls.get(bobId);
    expect(row).toMatchObject({ outcome: 'busy', sipCode: 486, hangupBy: 'remote', talkMs: 0 });
    expect(row?.ringMs).toBeUndefined();
  });

  it('writes nothing when the same snapshot comes twice', async () => {
    for (const step of [live(alice.ringing), live(alice.talking), ended(alice.over)]) {
      const first = await journalSnapshot(db, step, T0 + 100_000, RU);
      const before = await db.calls.get(aliceId);
      const second = await journalSnapshot(db, step, T0 + 200_000, RU);
      expect(first.written).toEqual([aliceId]);
      expect(second.written).toEqual([]);
      expect(await db.calls.get(aliceId)).toEqual(before);
    }
  });

  it('never takes a finished row back, nor a live one to an earlier state', async () => {
    await journalSnapshot(db, live(alice.talking), T0 + 8_100, RU);
    expect((await journalSnapshot(db, live(alice.ringing), T0 + 9_000, RU)).written).toEqual([]);
    expect((await db.calls.get(aliceId))?.state).toBe(CallState.Established);

    await journalSnapshot(db, ended(alice.over), T0 + 68_100, RU);
    const finished = await db.calls.get(aliceId);
    for (const old of [alice.ringing, alice.answering, alice.talking]) {
      expect((await journalSnapshot(db, live(old), T0 + 70_000, RU)).written).toEqual([]);
    }
    expect(await db.calls.get(aliceId)).toEqual(finished);
  });

  it('survives a worker restart: the engine\'s current snapshot completes the row, the stale stored one is ignored', async () => {
    // The worker wrote the call while it rang, then Chrome stopped it; the call was answered and
    // ended meanwhile. On restart the hub replays the snapshot it had stored, then the engine's.
    await journalSnapshot(db, live(alice.ringing), T0 + 50, RU);
    await journalSnapshot(db, live(alice.ringing), T0 + 90_000, RU);
    await journalSnapshot(db, ended(alice.over), T0 + 90_001, RU);
    await journalSnapshot(db, live(alice.ringing), T0 + 90_002, RU);
    expect(await recoverInterruptedCalls(db, [], T0 + 90_003)).toEqual([]);
    expect(await db.calls.get(aliceId)).toMatchObject({ outcome: 'answered', talkMs: 60_000, ringMs: 8_000 });
  });

  it('ties the call to a cached contact and indexes its name for search', async () => {
    await db.contacts.add({
      id: 'crm-7',
      name: 'Алиса Ёлкина',
      numbers: ['+79161234567'],
      source: 'crm',
      updatedAt: T0 - 1,
    });
    await journalSnapshot(db, live({ ...alice.ringing, remoteName: 'Alice' }), T0, RU);
    expect(await db.calls.get(aliceId)).toMatchObject({
      contactId: 'crm-7',
      remoteName: 'Alice',
      words: ['alice', 'алиса', 'елкина'],
    });
    expect(await db.numbers.get('+79161234567')).toEqual({ id: '+79161234567', lastAt: T0, name: 'Alice' });
  });

  it('writes every call of a snapshot, live and recent, in one go', async () => {
    const result = await journalSnapshot(db, { calls: [bob.ringing], recent: [alice.over] }, T0 + 70_000, RU);
    expect(result.written.sort()).toEqual([aliceId, bobId].sort());
    expect(await db.calls.count()).toBe(2);
  });
});

describe('journalSnapshot links missed calls to their callback', () => {
  const missedAt = (id: string, startedAt: number) =>
    callSnapshot({
      id,
      startedAt,
      state: CallState.Ended,
      endedAt: startedAt + 20_000,
      endReason: CallEndReason.CallerCancelled,
    });
  const dialAlice = (id: string, startedAt: number) =>
    callSnapshot({
      id,
      startedAt,
      direction: 'outbound',
      remoteUri: 'sip:+79161234567@pbx.example.com',
      remoteNumber: '+7 916 123-45-67',
      state: CallState.Dialing,
    });

  it('Alice calls twice while the agent is away; the agent calls her back once: both misses are linked', async () => {
    await journalSnapshot(db, ended(missedAt('m1', T0)), T0 + 20_100, RU);
    await journalSnapshot(db, ended(missedAt('m2', T0 + 60_000)), T0 + 80_100, RU);
    await journalSnapshot(db, live(dialAlice('back', T0 + 600_000)), T0 + 600_010, RU);
    expect((await db.calls.get(callRecordId('m1', T0)))?.callbackAt).toBe(T0 + 600_000);
    expect((await db.calls.get(callRecordId('m2', T0 + 60_000)))?.callbackAt).toBe(T0 + 600_000);

    // A later miss waits for the next callback; the earlier ones keep theirs.
    await journalSnapshot(db, ended(missedAt('m3', T0 + 900_000)), T0 + 920_100, RU);
    expect((await db.calls.get(callRecordId('m3', T0 + 900_000)))?.callbackAt).toBeUndefined();
    await journalSnapshot(db, live(dialAlice('again', T0 + 1_200_000)), T0 + 1_200_010, RU);
    expect((await db.calls.get(callRecordId('m3', T0 + 900_000)))?.callbackAt).toBe(T0 + 1_200_000);
    expect((await db.calls.get(callRecordId('m1', T0)))?.callbackAt).toBe(T0 + 600_000);
  });

  it('links a miss whose last snapshot arrives after the callback was placed (worker restart)', async () => {
    await journalSnapshot(db, live(callSnapshot({ id: 'm1', startedAt: T0 })), T0 + 10, RU);
    await journalSnapshot(db, { calls: [dialAlice('back', T0 + 60_000)], recent: [missedAt('m1', T0)] }, T0 + 60_010, RU);
    expect((await db.calls.get(callRecordId('m1', T0)))?.callbackAt).toBe(T0 + 60_000);
    await journalSnapshot(db, live(dialAlice('other', T0 + 120_000)), T0 + 120_010, RU);
    await journalSnapshot(db, ended(missedAt('m0', T0 - 60_000)), T0 + 120_020, RU);
    expect((await db.calls.get(callRecordId('m0', T0 - 60_000)))?.callbackAt).toBe(T0 + 60_000);
  });

  it('does not link a call to another number, nor an answered call', async () => {
    await journalSnapshot(db, ended(alice.over), T0 + 70_000, RU);
    await journalSnapshot(db, ended(missedAt('alice-missed', T0 + 1_000)), T0 + 70_001, RU);
    await journalSnapshot(db, live({ ...bob.dialing, startedAt: T0 + 300_000 }), T0 + 300_010, RU);
    expect((await db.calls.toArray()).map((call) => call.callbackAt)).toEqual([undefined, undefined, undefined]);
  });
});

describe('recoverInterruptedCalls', () => {
  it('closes a call cut by a browser crash as interrupted, at the last time it was known alive', async () => {
    await journalSnapshot(db, live(alice.ringing), T0 + 50, RU);
    await journalSnapshot(db, live(alice.talking), T0 + 8_100, RU);
    // Crash. The new engine has no calls.
    expect(await recoverInterruptedCalls(db, [], T0 + 600_000)).toEqual([aliceId]);
    expect(await db.calls.get(aliceId)).toMatchObject({
      state: CallState.Ended,
      outcome: 'interrupted',
      endedAt: T0 + 8_100,
      talkMs: 100,
      ringMs: 8_000,
      crmState: 'pending',
      updatedAt: T0 + 600_000,
    });
    expect(await recoverInterruptedCalls(db, [], T0 + 600_001)).toEqual([]);
  });

  it('leaves calls the engine still has, and finished ones, alone', async () => {
    await journalSnapshot(db, { calls: [bob.talking], recent: [alice.over] }, T0 + 70_000, RU);
    const before = await db.calls.toArray();
    expect(await recoverInterruptedCalls(db, ['bob'], T0 + 80_000)).toEqual([]);
    expect(await db.calls.toArray()).toEqual(before);
  });

  it('counts talk time up to the last heartbeat', async () => {
    await journalSnapshot(db, live(alice.talking), T0 + 8_100, RU);
    expect(await touchLiveCalls(db, ['alice'], T0 + 1_800_000)).toBe(1);
    expect(await touchLiveCalls(db, ['someone-else'], T0 + 1_900_000)).toBe(0);
    await recoverInterruptedCalls(db, [], T0 + 3_600_000);
    expect(await db.calls.get(aliceId)).toMatchObject({ endedAt: T0 + 1_800_000, talkMs: 1_792_000 });
  });

  it('lets the real ending replace "interrupted" if the engine reports it afterwards', async () => {
    await journalSnapshot(db, live(alice.talking), T0 + 8_100, RU);
    await recoverInterruptedCalls(db, [], T0 + 60_000);
    await journalSnapshot(db, ended(alice.over), T0 + 70_000, RU);
    expect(await db.calls.get(aliceId)).toMatchObject({ outcome: 'answered', endedAt: T0 + 68_000, talkMs: 60_000 });
    // …but a live snapshot does not reopen it.
    expect((await journalSnapshot(db, live(alice.talking), T0 + 71_000, RU)).written).toEqual([]);
  });
});
