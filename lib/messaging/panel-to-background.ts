import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';
import { AnalyticsRequestSchema, CallAnalyticsSchema } from '@/lib/history/call-analytics-schema';
import { HistoryFilterSchema, HistoryRowSchema, TimelineEntrySchema } from '@/lib/history/history-row';
import { PhoneSnapshotSchema } from '@/lib/phone/phone-snapshot';

const CallIdSchema = z.object({ callId: z.string().min(1).max(100) });

/**
 * Side panel → background. The panel is UI only: it asks, the background checks and forwards to the
 * phone engine. A number typed by the user is normalized again here, at the boundary.
 */
export const PanelToBackground = defineProtocol('PanelToBackground', {
  getSnapshot: { data: z.object({}), result: PhoneSnapshotSchema },
  /** Dials a number, extension or SIP URI as typed; the result is the new call's id. */
  placeCall: {
    data: z.object({ target: z.string().min(1).max(256), accountId: z.string().optional() }),
    result: z.object({ callId: z.string() }),
  },
  answerCall: { data: CallIdSchema, result: z.null() },
  declineCall: { data: CallIdSchema, result: z.null() },
  hangupCall: { data: CallIdSchema, result: z.null() },
  setMute: { data: CallIdSchema.extend({ muted: z.boolean() }), result: z.null() },
  /** Retries registration now (all accounts, or one), skipping the backoff wait. */
  retryRegistration: { data: z.object({ accountId: z.string().optional() }), result: z.null() },
  /** One page of call history, newest first; pass `nextCursor` back for the next page. */
  getHistoryPage: {
    data: z.object({
      filter: HistoryFilterSchema,
      cursor: z.string().min(1).max(200).optional(),
      limit: z.number().int().min(1).max(200),
    }),
    result: z.object({ rows: z.array(HistoryRowSchema), nextCursor: z.string().optional() }),
  },
  /**
   * Sets the note of a call: edits its first note, or adds one. `callId` is the history id (the
   * row's `id`); the text must not be blank.
   */
  saveCallNote: {
    data: z.object({ callId: z.string().min(1).max(200), text: z.string().min(1).max(4000) }),
    result: z.object({ noteId: z.string() }),
  },
  /** Calls whose number, name or note words match the query, newest first, as history rows. */
  searchHistory: {
    data: z.object({ query: z.string().max(200) }),
    result: z.object({ rows: z.array(HistoryRowSchema) }),
  },
  /** A number's calls and notes merged newest first; `numberKey` is a row's `numberKey`. */
  getNumberTimeline: {
    data: z.object({ numberKey: z.string().min(1).max(300) }),
    result: z.object({ entries: z.array(TimelineEntrySchema) }),
  },
  /**
   * Call analytics of `[from, to)` (epoch ms), days and hours counted in `timeZone` (the panel's):
   * counts, talk and ring times, callbacks of missed calls, top numbers, per day and per hour.
   */
  getAnalytics: { data: AnalyticsRequestSchema, result: CallAnalyticsSchema },
});
