import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import type { RecordingRecord } from '@/lib/db/recording-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import {
  estimateStorage,
  planRecordingRetention,
  pruneRecordings,
  requestPersistentStorage,
  type RetentionPolicy,
  type StorageManagerLike,
} from '@/lib/history/storage-budget';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

const DAY = 86_400_000;
const MB = 1_000_000;

beforeEach(() => {
  fakeBrowser.reset();
});

/** Four recordings, 10, 7, 3 and 1 days old, of 4, 3, 2 and 1 MB. */
const RECORDINGS = [
  { id: 'r10', createdAt: T0 - 10 * DAY, size: 4 * MB },
  { id: 'r7', createdAt: T0 - 7 * DAY, size: 3 * MB },
  { id: 'r3', createdAt: T0 - 3 * DAY, size: 2 * MB },
  { id: 'r1', createdAt: T0 - 1 * DAY, size: 1 * MB },
];

describe('planRecordingRetention', () => {
  it.each<{ policy: RetentionPolicy; deleteIds: string[]; why: string }>([
    { policy: {}, deleteIds: [], why: 'no limits' },
    { policy: { maxAgeMs: 30 * DAY }, deleteIds: [], why: 'all young enough' },
    { policy: { maxAgeMs: 5 * DAY }, deleteIds: ['r10', 'r7'], why: 'older than 5 days' },
    { policy: { maxAgeMs: 7 * DAY }, deleteIds: ['r10'], why: 'exactly 7 days old is kept' },
    { policy: { maxTotalBytes: 10 * MB }, deleteIds: [], why: 'exactly at the budget' },
    { policy: { maxTotalBytes: 6 * MB }, deleteIds: ['r10'], why: 'oldest out until 6 MB ≤ 6 MB' },
    { policy: { maxTotalBytes: 5 * MB }, deleteIds: ['r10', 'r7'], why: 'oldest out until 3 MB ≤ 5 MB' },
    { policy: { maxTotalBytes: 0 }, deleteIds: ['r10', 'r7', 'r3', 'r1'], why: 'no budget at all' },
    { policy: { maxAgeMs: 8 * DAY, maxTotalBytes: 2.5 * MB }, deleteIds: ['r10', 'r7', 'r3'], why: 'both limits' },
  ])('$why', ({ policy, deleteIds }) => {
    const plan = planRecordingRetention([...RECORDINGS].reverse(), policy, T0);
    expect(plan.deleteIds).toEqual(deleteIds);
    const freed = RECORDINGS.filter((r) => deleteIds.includes(r.id)).reduce((sum, r) => sum + r.size, 0);
    expect(plan).toEqual({ deleteIds, freedBytes: freed, keptBytes: 10 * MB - freed });
  });
});

describe('pruneRecordings', () => {
  let db: AppDb;

  beforeEach(async () => {
    db = openTestDb();
    for (const [i, { id, createdAt, size }] of RECORDINGS.entries()) {
      const call = callRow({ callId: `call-${id}`, startedAt: createdAt - 60_000, numberKey: '+79161234567' });
      const recording: RecordingRecord = {
        id: timeOrderedId(createdAt, id),
        callId: call.id,
        numberKey: call.numberKey,
        createdAt,
        type: 'audio/webm',
        durationMs: 60_000,
        size,
        blob: new Blob([new Uint8Array(i + 1)]),
      };
      await db.calls.add({ ...call, recordingId: recording.id });
      await db.recordings.add(recording);
    }
  });

  it('deletes old recordings and unlinks them from their calls, but keeps every call', async () => {
    const plan = await pruneRecordings(db, { maxAgeMs: 5 * DAY }, T0);
    expect(plan.freedBytes).toBe(7 * MB);
    expect((await db.recordings.toArray()).map((r) => r.createdAt)).toEqual([T0 - 3 * DAY, T0 - DAY]);
    const calls = await db.calls.toArray();
    expect(calls).toHaveLength(4);
    expect(calls.map((call) => call.recordingId !== undefined)).toEqual([false, false, true, true]);
    expect(calls[0]!.updatedAt).toBe(T0);
  });

  it('does nothing when everything fits', async () => {
    const before = await db.calls.toArray();
    expect((await pruneRecordings(db, { maxTotalBytes: 100 * MB }, T0)).deleteIds).toEqual([]);
    expect(await db.calls.toArray()).toEqual(before);
    expect(await db.recordings.count()).toBe(4);
  });
});

function storageManager(overrides: Partial<StorageManagerLike> = {}): StorageManagerLike {
  return {
    estimate: vi.fn(async () => ({ usage: 250 * MB, quota: 1_000 * MB })),
    persisted: vi.fn(async () => false),
    persist: vi.fn(async () => true),
    ...overrides,
  };
}

describe('estimateStorage', () => {
  it('reports usage, quota and persistence', async () => {
    expect(await estimateStorage(storageManager())).toEqual({
      usage: 250 * MB,
      quota: 1_000 * MB,
      usedRatio: 0.25,
      persisted: false,
    });
  });

  it.each([
    { why: 'no Storage API', storage: undefined, expected: undefined },
    {
      why: 'estimate fails',
      storage: storageManager({ estimate: async () => Promise.reject(new Error('nope')) }),
      expected: undefined,
    },
    {
      why: 'unknown quota',
      storage: storageManager({ estimate: async () => ({}) }),
      expected: { usage: 0, quota: 0, usedRatio: 0, persisted: false },
    },
  ])('copes with $why', async ({ storage, expected }) => {
    expect(await estimateStorage(storage)).toEqual(expected);
  });
});

describe('requestPersistentStorage', () => {
  it('asks only when not yet persistent', async () => {
    const already = storageManager({ persisted: async () => true });
    expect(await requestPersistentStorage(already)).toBe(true);
    expect(already.persist).not.toHaveBeenCalled();
    const fresh = storageManager();
    expect(await requestPersistentStorage(fresh)).toBe(true);
    expect(fresh.persist).toHaveBeenCalledOnce();
  });

  it('is false where refused or unavailable (the service worker has no persist())', async () => {
    expect(await requestPersistentStorage(storageManager({ persist: async () => false }))).toBe(false);
    expect(await requestPersistentStorage({ ...storageManager(), persist: undefined as never })).toBe(false);
    expect(await requestPersistentStorage(undefined)).toBe(false);
  });
});
