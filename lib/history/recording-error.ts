import { z } from 'zod';
import { storage } from '#imports';

/**
 * Why the last recording was lost: `storage-full` when the browser refused the write for lack of
 * space (QuotaExceededError), `recorder` when the audio could not be recorded, `write` for any
 * other failure to store it.
 */
export const RecordingErrorSchema = z.object({
  kind: z.enum(['storage-full', 'recorder', 'write']),
  /** When it happened (epoch ms). */
  at: z.number(),
  /** The browser's own words, for the curious. */
  detail: z.string().max(1000),
});
export type RecordingError = z.infer<typeof RecordingErrorSchema>;

/**
 * The last recording that could not be saved, kept until the agent has read about it or a later
 * recording is saved. The background writes it; the panel reads and watches it (values are
 * `unknown` there and parsed: storage may hold a value of an older version).
 */
export const recordingErrorItem = storage.defineItem<RecordingError | null>('local:recordingError', {
  fallback: null,
});
