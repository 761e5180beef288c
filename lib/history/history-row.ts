import { z } from 'zod';
import { CallOutcomeSchema } from '@/lib/db/call-record';
import { CallEndReason } from '@/lib/phone/call-state';
import { MessageFailureSchema } from '@/lib/phone/message-failure';

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
  /** The name of the number's contact (local or cached from the CRM), when there is one now. */
  contactName: z.string().optional(),
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
  /** The agent's disposition: a standard code (`STANDARD_DISPOSITIONS`) or the team's own label. */
  disposition: z.string().optional(),
  /** The call's first recording, when it was recorded (the row shows that it was). */
  recordingId: z.string().optional(),
  /** How the call ended, once it did (a transferred call's row says so). */
  endReason: z.enum(CallEndReason).optional(),
});
export type HistoryRow = z.infer<typeof HistoryRowSchema>;

/** Which calls a history page lists (see `historyPage`). */
export const HistoryFilterSchema = z.enum(['all', 'missed', 'inbound', 'outbound']);
export type HistoryFilterName = z.infer<typeof HistoryFilterSchema>;

/**
 * One entry of a number's timeline as the panel sees it: a call (as a row), a note, a message, or a
 * recording (its facts only: the audio is asked for when the agent plays or downloads it).
 */
export const TimelineEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.string().min(1), at: z.number(), call: HistoryRowSchema }),
  z.object({ kind: z.literal('note'), id: z.string().min(1), at: z.number(), text: z.string() }),
  z.object({
    kind: z.literal('message'),
    id: z.string().min(1),
    at: z.number(),
    direction: z.enum(['inbound', 'outbound']),
    /** Untrusted text from the network (or the user's own): shown as text, never as HTML. */
    body: z.string(),
    status: z.enum(['received', 'sent', 'failed']),
    failure: MessageFailureSchema.optional(),
  }),
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

/**
 * A number that matched a search but has no call among the rows found (e.g. a customer who only
 * ever sent messages): the panel lists it so that its timeline can be opened.
 */
export const NumberHitSchema = z.object({
  numberKey: z.string().min(1),
  /** The latest name the far end presented. */
  name: z.string().optional(),
  /** The latest call or message with it (epoch ms). */
  lastAt: z.number(),
});
export type NumberHit = z.infer<typeof NumberHitSchema>;
