import { z } from 'zod';
import { CallOutcomeSchema } from '@/lib/db/call-record';

/**
 * One call of history as the side panel sees it: plain fields only, the panel never reads Dexie
 * (STYLE rule 2). Built by `lib/background/history-service.ts` from a `CallRecord` and its notes.
 */
export const HistoryRowSchema = z.object({
  /** The history id (`CallRecord.id`); notes about the call are saved against it. */
  id: z.string().min(1),
  /** The engine's id of the call. */
  callId: z.string().min(1),
  direction: z.enum(['inbound', 'outbound']),
  /** Absent while the call is still going on. */
  outcome: CallOutcomeSchema.optional(),
  remoteRaw: z.string(),
  remoteE164: z.string().optional(),
  remoteName: z.string().optional(),
  /**
   * The number's key (`numberKeyOf`), which opens its timeline. Optional so that rows from an older
   * background still parse.
   */
  numberKey: z.string().optional(),
  startedAt: z.number(),
  answeredAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** Whole seconds from answer to end; 0 when not answered. */
  talkSeconds: z.number().int().nonnegative(),
  noteCount: z.number().int().nonnegative(),
  /** The text of the call's first note, which the panel's note field edits. */
  noteText: z.string().optional(),
  /** The call's first recording, when it was recorded (the row shows that it was). */
  recordingId: z.string().optional(),
});
export type HistoryRow = z.infer<typeof HistoryRowSchema>;

/** Which calls a history page lists (see `historyPage`). */
export const HistoryFilterSchema = z.enum(['all', 'missed', 'inbound', 'outbound']);
export type HistoryFilterName = z.infer<typeof HistoryFilterSchema>;

/**
 * One entry of a number's timeline as the panel sees it: a call (as a row), a note, or a recording
 * (its facts only: the audio is asked for when the agent plays or downloads it).
 */
export const TimelineEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.string().min(1), at: z.number(), call: HistoryRowSchema }),
  z.object({ kind: z.literal('note'), id: z.string().min(1), at: z.number(), text: z.string() }),
  z.object({
    kind: z.literal('recording'),
    /** The recording's id (`getRecordingAudio`, `deleteRecording`). */
    id: z.string().min(1),
    at: z.number(),
    /** The history id of its call. */
    callId: z.string(),
    mimeType: z.string(),
    durationMs: z.number().nonnegative(),
    /** Bytes of audio. */
    size: z.number().int().nonnegative(),
  }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
