import type { AppDb } from '@/lib/db/app-db';
import type { RecordingRecord } from '@/lib/db/recording-record';
import { relinkCalls } from '@/lib/history/recording-store';

/** The part of `navigator.storage` used here (injected, so tests and non-window contexts can pass theirs). */
export type StorageManagerLike = Pick<StorageManager, 'estimate' | 'persist' | 'persisted'>;

/** How full the extension's storage is. */
export interface StorageBudget {
  /** Bytes used by this origin. */
  usage: number;
  /** Bytes the browser allows this origin. */
  quota: number;
  /** `usage / quota`, 0–1 (0 when the quota is unknown). */
  usedRatio: number;
  /** Whether the browser promised not to evict this origin's data under storage pressure. */
  persisted: boolean;
}

/**
 * Reads usage and quota (`navigator.storage.estimate()`); `undefined` where the Storage API is
 * missing or fails. Extensions with the `unlimitedStorage` permission get a large quota and are
 * not evicted; the numbers are still worth showing beside the recordings' size.
 */
export async function estimateStorage(
  storage: StorageManagerLike | undefined = globalThis.navigator?.storage,
): Promise<StorageBudget | undefined> {
  if (!storage) return undefined;
  try {
    const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted().catch(() => false)]);
    const usage = estimate.usage ?? 0;
    const quota = estimate.quota ?? 0;
    return { usage, quota, usedRatio: quota > 0 ? Math.min(1, usage / quota) : 0, persisted };
  } catch {
    return undefined;
  }
}

/**
 * Asks the browser to keep this origin's data under storage pressure (`navigator.storage.persist()`);
 * `false` where refused or unsupported. `persist()` exists in documents only, not in the service
 * worker: call this from an extension page (the options page).
 */
export async function requestPersistentStorage(
  storage: StorageManagerLike | undefined = globalThis.navigator?.storage,
): Promise<boolean> {
  if (!storage) return false;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}

/** How much recorded audio to keep. Either limit may be left out. */
export interface RetentionPolicy {
  /** Recordings older than this (by creation) are deleted. */
  maxAgeMs?: number;
  /** The oldest recordings are deleted until the rest fit in this many bytes. */
  maxTotalBytes?: number;
}

/** What retention did or would do. */
export interface RetentionPlan {
  /** Recording ids to delete, oldest first. */
  deleteIds: string[];
  freedBytes: number;
  keptBytes: number;
}

/**
 * Which recordings a policy deletes: every one older than `maxAgeMs`, then the oldest of the rest
 * until the total fits `maxTotalBytes`. A pure function over the recordings' metadata.
 */
export function planRecordingRetention(
  recordings: readonly Pick<RecordingRecord, 'id' | 'createdAt' | 'size'>[],
  policy: RetentionPolicy,
  now: number,
): RetentionPlan {
  const oldestFirst = [...recordings].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  let keptBytes = oldestFirst.reduce((sum, recording) => sum + recording.size, 0);
  let freedBytes = 0;
  const deleteIds: string[] = [];
  for (const recording of oldestFirst) {
    const tooOld = policy.maxAgeMs !== undefined && now - recording.createdAt > policy.maxAgeMs;
    const overBudget = policy.maxTotalBytes !== undefined && keptBytes > policy.maxTotalBytes;
    if (!tooOld && !overBudget) break;
    deleteIds.push(recording.id);
    keptBytes -= recording.size;
    freedBytes += recording.size;
  }
  return { deleteIds, freedBytes, keptBytes };
}

/**
 * Applies a {@link RetentionPolicy} to the stored recordings. Only recordings are deleted, never a
 * call: a call that pointed to a deleted recording points to its oldest remaining one, or to none,
 * and keeps everything else.
 */
export async function pruneRecordings(db: AppDb, policy: RetentionPolicy, now: number): Promise<RetentionPlan> {
  return db.transaction('rw', db.recordings, db.calls, async () => {
    // Rows hold the blob by reference: reading them does not read the audio.
    const recordings = await db.recordings.toArray();
    const plan = planRecordingRetention(recordings, policy, now);
    if (plan.deleteIds.length === 0) return plan;
    const deleted = new Set(plan.deleteIds);
    await db.recordings.bulkDelete(plan.deleteIds);
    await relinkCalls(
      db,
      recordings.filter((r) => deleted.has(r.id)).map((r) => r.callId),
      deleted,
      now,
    );
    return plan;
  });
}
