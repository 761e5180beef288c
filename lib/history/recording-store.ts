import type { AppDb } from '@/lib/db/app-db';
import type { RecordingRecord } from '@/lib/db/recording-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { Exception } from '@/lib/util/exception';

/** A finished piece of a call's recording, to be stored. */
export interface NewRecording {
  /** The call's history id (`callRecordId`). */
  callId: string;
  /** When the segment started: its id and age (retention) count from here. */
  startedAt: number;
  mimeType: string;
  durationMs: number;
  audio: Blob;
  /** Tells apart recordings of the same millisecond. @defaultValue a random UUID */
  unique?: string;
}

/** The call a recording belongs to is not in history. */
export class RecordingCallMissingError extends Exception {}

/**
 * Stores a recording and links its call to it (`calls.recordingId` names the call's first
 * recording; later segments of the same call are found by their `callId`). One transaction: if
 * the audio cannot be written (storage full), the call row is left exactly as it was.
 *
 * A recording needs its call's row (written from the first ring): without it there would be no
 * timeline to show it in, and a missing row means history itself could not be written.
 */
export async function addRecording(db: AppDb, recording: NewRecording, now: number): Promise<RecordingRecord> {
  return db.transaction('rw', db.recordings, db.calls, async () => {
    const call = await db.calls.get(recording.callId);
    if (!call) throw new RecordingCallMissingError(`call ${recording.callId} is not in history`);
    const row: RecordingRecord = {
      id: timeOrderedId(recording.startedAt, recording.unique ?? crypto.randomUUID()),
      callId: call.id,
      numberKey: call.numberKey,
      createdAt: recording.startedAt,
      type: recording.mimeType,
      durationMs: recording.durationMs,
      size: recording.audio.size,
      blob: recording.audio,
    };
    await db.recordings.add(row);
    if (call.recordingId === undefined) {
      await db.calls.update(call.id, { recordingId: row.id, updatedAt: Math.max(now, call.updatedAt) });
    }
    return row;
  });
}

/**
 * Deletes a recording. Its call stays; if it pointed to this recording, it now points to its
 * oldest remaining one, or to none.
 *
 * @returns whether there was such a recording.
 */
export async function deleteRecording(db: AppDb, recordingId: string, now: number): Promise<boolean> {
  return db.transaction('rw', db.recordings, db.calls, async () => {
    const recording = await db.recordings.get(recordingId);
    if (!recording) return false;
    await db.recordings.delete(recordingId);
    await relinkCalls(db, [recording.callId], new Set([recordingId]), now);
    return true;
  });
}

/**
 * Points each of `callIds` whose `recordingId` is among `deleted` to its oldest remaining recording
 * (the `callId` index keeps a call's recordings in id order, i.e. oldest first), or to none. Run it
 * inside a transaction over `recordings` and `calls`.
 */
export async function relinkCalls(
  db: AppDb,
  callIds: readonly string[],
  deleted: ReadonlySet<string>,
  now: number,
): Promise<void> {
  const calls = await db.calls.bulkGet([...new Set(callIds)]);
  for (const call of calls) {
    if (call?.recordingId === undefined || !deleted.has(call.recordingId)) continue;
    const next = await db.recordings.where('callId').equals(call.id).first();
    const { recordingId: _old, ...rest } = call;
    await db.calls.put({
      ...rest,
      ...(next ? { recordingId: next.id } : {}),
      updatedAt: Math.max(now, call.updatedAt),
    });
  }
}

/** How many recordings there are and how many bytes their audio takes (no audio is read). */
export async function recordingTotals(db: AppDb): Promise<{ count: number; totalBytes: number }> {
  let count = 0;
  let totalBytes = 0;
  await db.recordings.each((recording) => {
    count += 1;
    totalBytes += recording.size;
  });
  return { count, totalBytes };
}
