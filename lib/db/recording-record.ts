import { z } from 'zod';

/** The audio of one call. Rows are large; the retention in `lib/history/storage-budget.ts` prunes them. */
export const RecordingRecordSchema = z.object({
  /** Time-ordered by creation, so key order is age order for retention. */
  id: z.string().min(1),
  /** The call's history id. */
  callId: z.string(),
  numberKey: z.string(),
  createdAt: z.number(),
  /** MIME type, e.g. `audio/webm;codecs=opus`. */
  type: z.string(),
  durationMs: z.number().nonnegative(),
  /** Bytes, kept beside the blob so the budget can be summed without reading blobs. */
  size: z.number().int().nonnegative(),
  blob: z.instanceof(Blob),
});
export type RecordingRecord = z.infer<typeof RecordingRecordSchema>;
