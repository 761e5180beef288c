import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRecordingService, isQuotaError, retentionOf } from '@/lib/background/recording-service';
import type { AppDb } from '@/lib/db/app-db';
import { callRecordId, type CallRecord } from '@/lib/db/call-record';
import type { RecordingError } from '@/lib/history/recording-error';
import { recordingTotals } from '@/lib/history/recording-store';
import type { RetentionPolicy } from '@/lib/history/storage-budget';
import type { RecordingFinished } from '@/lib/messaging/engine-to-background';
import { bytesToBase64 } from '@/lib/util/base64';
import { setLogLevel } from '@/lib/util/logger';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

const DAY = 86_400_000;
const MB = 1_000_000;

let db: AppDb;
let now: number;
let retention: RetentionPolicy;
let errors: RecordingError[];
let saved: number;
let call: CallRecord;

/** A segment of the call `call-1` as the engine sends it: `size` bytes of audio starting at `startedAt`. */
function segment(startedAt: number, size: number, callId = 'call-1'): RecordingFinished {
  return {
    callId,
    callStartedAt: T0,
    startedAt,
    mimeType: 'audio/webm;codecs=opus',
    durationMs: 4_000,
    data: bytesToBase64(new Uint8Array(size).fill(7)),
  };
}

function service() {
  return createRecordingService({
    db,
    retention: async () => retention,
    onError: async (error) => {
      errors.push(error);
    },
    onSaved: async () => {
      saved += 1;
    },
    clock: () => now,
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  setLogLevel('error');
  db = openTestDb();
  now = T0 + 60_000;
  retention = {};
  errors = [];
  saved = 0;
  call = callRow({ callId: 'call-1', startedAt: T0, numberKey: '+79161234567', answeredAt: T0 + 5_000 });
  await db.calls.add(call);
});

describe('recording service', () => {
  it('stores a segment under its call, links the call to it and plays it back', async () => {
    await service().recordingFinished(segment(T0 + 5_000, 3_000));
    const [recording] = await db.recordings.toArray();
    expect(recording).toMatchObject({
      callId: callRecordId('call-1', T0),
      numberKey: '+79161234567',
      createdAt: T0 + 5_000,
      type: 'audio/webm;codecs=opus',
      durationMs: 4_000,
      size: 3_000,
    });
    // Time-ordered by the segment's start, so key order is age order for retention.
    expect(recording!.id.startsWith(`${T0 + 5_000}-`)).toBe(true);
    expect((await db.calls.get(call.id))?.recordingId).toBe(recording!.id);
    expect(saved).toBe(1);
    const audio = await service().getRecordingAudio({ recordingId: recording!.id });
    expect(audio).toEqual({
      mimeType: 'audio/webm;codecs=opus',
      data: bytesToBase64(new Uint8Array(3_000).fill(7)),
      durationMs: 4_000,
    });
  });

  it('keeps the call pointing at its first segment; later ones are found by their call', async () => {
    await service().recordingFinished(segment(T0 + 5_000, 100));
    await service().recordingFinished(segment(T0 + 20_000, 100));
    const recordings = await db.recordings.orderBy(':id').toArray();
    expect(recordings).toHaveLength(2);
    expect((await db.calls.get(call.id))?.recordingId).toBe(recordings[0]!.id);
    expect(await recordingTotals(db)).toEqual({ count: 2, totalBytes: 200 });
  });

  it('deletes a recording: the call stays and points at its next recording, then at none', async () => {
    await service().recordingFinished(segment(T0 + 5_000, 100));
    await service().recordingFinished(segment(T0 + 20_000, 100));
    const [first, second] = await db.recordings.orderBy(':id').toArray();
    await service().deleteRecording({ recordingId: first!.id });
    expect((await db.calls.get(call.id))?.recordingId).toBe(second!.id);
    await service().deleteRecording({ recordingId: second!.id });
    const after = await db.calls.get(call.id);
    expect(after).toBeDefined();
    expect(after!.recordingId).toBeUndefined();
    expect({ ...after, recordingId: undefined, updatedAt: 0 }).toEqual({ ...call, recordingId: undefined, updatedAt: 0 });
    await expect(service().deleteRecording({ recordingId: second!.id })).rejects.toThrow(/no such recording/);
    await expect(service().getRecordingAudio({ recordingId: second!.id })).rejects.toThrow(/no such recording/);
  });

  it('applies retention after each write: too old first, then the oldest until the rest fit', async () => {
    const old = callRow({ callId: 'call-0', startedAt: T0 - 100 * DAY, numberKey: '+79161234567' });
    await db.calls.add(old);
    await service().recordingFinished({ ...segment(T0 - 100 * DAY, 100, 'call-0'), callStartedAt: T0 - 100 * DAY });
    await service().recordingFinished(segment(T0 + 1_000, 2 * MB));
    expect(await recordingTotals(db)).toEqual({ count: 2, totalBytes: 2 * MB + 100 });

    retention = retentionOf({ recordingRetentionDays: 90, recordingMaxMb: 3 });
    await service().recordingFinished(segment(T0 + 2_000, 2 * MB));
    // The 100-day-old one goes for age, the older 2 MB one for size; the calls stay.
    const left = await db.recordings.toArray();
    expect(left.map((r) => r.createdAt)).toEqual([T0 + 2_000]);
    expect(await db.calls.count()).toBe(2);
    expect((await db.calls.get(old.id))?.recordingId).toBeUndefined();
    expect((await db.calls.get(call.id))?.recordingId).toBe(left[0]!.id);
  });

  it('reads the retention settings: 0 days keeps forever, megabytes are 10⁶ bytes', () => {
    expect(retentionOf({ recordingRetentionDays: 0, recordingMaxMb: 5 })).toEqual({ maxTotalBytes: 5 * MB });
    expect(retentionOf({ recordingRetentionDays: 2, recordingMaxMb: 1 })).toEqual({ maxAgeMs: 2 * DAY, maxTotalBytes: MB });
  });

  it('when storage is full: the call row is untouched, nothing is half-written, the agent is told', async () => {
    const add = vi.spyOn(db.recordings, 'add').mockRejectedValueOnce(new DOMException('no space', 'QuotaExceededError'));
    await service().recordingFinished(segment(T0 + 5_000, 100));
    expect(add).toHaveBeenCalledOnce();
    expect(await db.recordings.count()).toBe(0);
    expect(await db.calls.get(call.id)).toEqual(call);
    expect(errors).toEqual([{ kind: 'storage-full', at: now, detail: expect.stringContaining('no space') }]);
    expect(saved).toBe(0);
    // The next recording saves and clears the message.
    await service().recordingFinished(segment(T0 + 9_000, 100));
    expect(await db.recordings.count()).toBe(1);
    expect(saved).toBe(1);
  });

  it('does not store audio of a call missing from history, and says so', async () => {
    await service().recordingFinished(segment(T0, 100, 'unknown-call'));
    expect(await db.recordings.count()).toBe(0);
    expect(errors.map((e) => e.kind)).toEqual(['write']);
  });

  it('passes on the engine’s failures to record', async () => {
    await service().recordingFailed({ callId: 'call-1', message: 'MediaRecorder is not available' });
    expect(errors).toEqual([{ kind: 'recorder', at: now, detail: 'call-1: MediaRecorder is not available' }]);
  });

  it.each([
    [new DOMException('full', 'QuotaExceededError'), true],
    [Object.assign(new Error('aborted'), { name: 'AbortError', inner: { name: 'QuotaExceededError' } }), true],
    [new DOMException('gone', 'InvalidStateError'), false],
    ['QuotaExceededError', false],
  ])('tells a quota error from others: %s', (error, quota) => {
    expect(isQuotaError(error)).toBe(quota);
  });
});
