import type { AppDb } from '@/lib/db/app-db';
import { callRecordId } from '@/lib/db/call-record';
import type { RecordingError } from '@/lib/history/recording-error';
import { addRecording, deleteRecording, recordingTotals } from '@/lib/history/recording-store';
import { pruneRecordings, type RetentionPolicy } from '@/lib/history/storage-budget';
import type { RecordingFinished } from '@/lib/messaging/engine-to-background';
import type { Settings } from '@/lib/settings/settings-schema';
import { base64ToBytes, bytesToBase64 } from '@/lib/util/base64';
import { NotFoundError } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('recordings');

const DAY_MS = 86_400_000;
/** Settings speak of megabytes as 10⁶ bytes, as disks and the browser's storage estimate do. */
const MB = 1_000_000;

/** The retention of the settings: age (0 days keeps forever), then total size. */
export function retentionOf(settings: Pick<Settings, 'recordingRetentionDays' | 'recordingMaxMb'>): RetentionPolicy {
  return {
    ...(settings.recordingRetentionDays > 0 ? { maxAgeMs: settings.recordingRetentionDays * DAY_MS } : {}),
    maxTotalBytes: settings.recordingMaxMb * MB,
  };
}

export interface RecordingServiceOptions {
  db: AppDb;
  /** The retention in force (read at each write: settings may change between calls). */
  retention: () => Promise<RetentionPolicy>;
  /** A recording was lost: tell the agent (notification, the panel's message). */
  onError: (error: RecordingError) => Promise<void>;
  /** A recording was saved: an earlier error is old news. */
  onSaved: () => Promise<void>;
  /** @defaultValue Date.now */
  clock?: () => number;
}

/** Recordings in the background: stored as the engine finishes them, played, deleted, pruned. */
export interface RecordingService {
  /** Stores a finished segment, links its call and applies retention; failures are reported, not thrown. */
  recordingFinished(data: RecordingFinished): Promise<void>;
  /** The engine could not record a call. */
  recordingFailed(failure: { callId: string; message: string }): Promise<void>;
  getRecordingAudio(request: { recordingId: string }): Promise<{ mimeType: string; data: string; durationMs: number }>;
  deleteRecording(request: { recordingId: string }): Promise<null>;
  getRecordingStorage(): Promise<{ count: number; totalBytes: number }>;
}

/**
 * Creates the recording service. The background owns Dexie, so the panel's player and the options
 * page's storage figures come through here.
 */
export function createRecordingService({
  db,
  retention,
  onError,
  onSaved,
  clock = Date.now,
}: RecordingServiceOptions): RecordingService {
  const report = async (kind: RecordingError['kind'], detail: string): Promise<void> => {
    await onError({ kind, at: clock(), detail: detail.slice(0, 1000) }).catch((error: unknown) =>
      log.warn('recording error not reported', error),
    );
  };
  return {
    async recordingFinished(data) {
      const callId = callRecordId(data.callId, data.callStartedAt);
      const audio = new Blob([base64ToBytes(data.data)], { type: data.mimeType });
      try {
        await addRecording(
          db,
          { callId, startedAt: data.startedAt, mimeType: data.mimeType, durationMs: data.durationMs, audio },
          clock(),
        );
      } catch (error) {
        // The write was one transaction: the call row is as it was. Nothing is retried, so that
        // the space left goes to call history.
        log.error(`recording of ${callId} not saved`, error);
        await report(isQuotaError(error) ? 'storage-full' : 'write', describe(error));
        return;
      }
      await onSaved().catch((error: unknown) => log.warn('recording error not cleared', error));
      try {
        const plan = await pruneRecordings(db, await retention(), clock());
        if (plan.deleteIds.length > 0) {
          log.info(`retention deleted ${plan.deleteIds.length} recording(s), ${plan.freedBytes} bytes`);
        }
      } catch (error) {
        log.warn('retention failed', error);
      }
    },

    async recordingFailed({ callId, message }) {
      await report('recorder', `${callId}: ${message}`);
    },

    async getRecordingAudio({ recordingId }) {
      const recording = await db.recordings.get(recordingId);
      if (!recording) throw new NotFoundError(`no such recording: ${recordingId}`);
      // The row holds the audio as a Blob reference; its bytes are read here, outside any transaction.
      const bytes = new Uint8Array(await recording.blob.arrayBuffer());
      return { mimeType: recording.type, data: bytesToBase64(bytes), durationMs: recording.durationMs };
    },

    async deleteRecording({ recordingId }) {
      if (!(await deleteRecording(db, recordingId, clock()))) {
        throw new NotFoundError(`no such recording: ${recordingId}`);
      }
      return null;
    },

    getRecordingStorage: () => recordingTotals(db),
  };
}

/**
 * Whether the browser refused a write for lack of space. Dexie passes IndexedDB's
 * `QuotaExceededError` on, or an `AbortError` of the transaction with it as `inner`.
 */
export function isQuotaError(error: unknown): boolean {
  const named = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && 'name' in value ? String(value.name) : undefined;
  const inner = typeof error === 'object' && error !== null && 'inner' in error ? error.inner : undefined;
  return named(error) === 'QuotaExceededError' || named(inner) === 'QuotaExceededError';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
