import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';
import { CrmEntityRefSchema, CrmMatchSchema } from '@/lib/crm/crm-card-schema';
import { CrmCreatableKindSchema, CrmCreateRequestSchema, CrmCreateResultSchema } from '@/lib/crm/crm-record-creation';
import { CrmTimelineSchema } from '@/lib/crm/crm-timeline-schema';
import { AnalyticsRequestSchema, CallAnalyticsSchema } from '@/lib/history/call-analytics-schema';
import { CrmOutboxStatusSchema } from '@/lib/history/crm-outbox-status';
import { DispositionSchema } from '@/lib/history/dispositions';
import { NOTE_MAX_LENGTH } from '@/lib/db/note-record';
import { HistoryFilterSchema, HistoryRowSchema, NumberHitSchema, TimelineEntrySchema } from '@/lib/history/history-row';
import { NotHeldSchema } from '@/lib/messaging/background-to-engine';
import { DTMF_DIGITS } from '@/lib/phone/dtmf-queue';
import { MessageFailureSchema } from '@/lib/phone/message-failure';
import { PhoneSnapshotSchema } from '@/lib/phone/phone-snapshot';
import { MAX_SENT_MESSAGE_CHARS } from '@/lib/phone/text-message';

const CallIdSchema = z.object({ callId: z.string().min(1).max(100) });
/** A call's history id (`CallRecord.id`). */
const HistoryIdSchema = z.string().min(1).max(200);
const CallerNumberSchema = z.string().min(1).max(300);
/** A local contact as the panel's form sends it. */
const ContactDraftSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  name: z.string().max(500),
  company: z.string().max(500).optional(),
  phones: z.array(z.string().max(100)).max(20),
  email: z.string().max(500).optional(),
  note: z.string().max(5000).optional(),
});
const RecordingIdSchema = z.object({ recordingId: z.string().min(1).max(200) });

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
  /** "Don't answer automatically": the ringing call keeps ringing until the agent acts. */
  cancelAutoAnswer: { data: CallIdSchema, result: z.null() },
  /**
   * Turns Do not disturb on or off. Stored by the background (it survives a worker stop and a
   * browser restart) and applied by the engine to the next incoming call; the snapshot says it.
   */
  setDoNotDisturb: { data: z.object({ on: z.boolean() }), result: z.null() },
  /** *Done* on the missed-calls list: one number's missed calls (`numberKey`), or all of them. */
  dismissMissedCalls: { data: z.object({ numberKey: z.string().min(1).max(300).optional() }), result: z.null() },
  /**
   * Answer on a waiting call: holds the call the agent talks to (waiting for the far end), then
   * answers. A refused hold still answers; `notHeld` names the call that stayed up (muted).
   */
  answerAndHold: { data: CallIdSchema, result: z.object({ notHeld: z.array(NotHeldSchema) }) },
  /** "Hang up and answer" on a waiting call. */
  hangupAndAnswer: { data: CallIdSchema, result: z.object({ notHeld: z.array(NotHeldSchema) }) },
  /** Holds the active call, then resumes the held one; rejects with a sentence when not possible. */
  swapCalls: { data: z.object({}), result: z.null() },
  /** Merges the active and the held call into a 3-way conference. */
  mergeCalls: { data: z.object({}), result: z.null() },
  /** Ends the conference, keeping `keepCallId` with the agent and holding the other call. */
  splitConference: { data: z.object({ keepCallId: z.string().min(1).max(100) }), result: z.null() },
  declineCall: { data: CallIdSchema, result: z.null() },
  hangupCall: { data: CallIdSchema, result: z.null() },
  setMute: { data: CallIdSchema.extend({ muted: z.boolean() }), result: z.null() },
  /** Puts a call on hold (`true`) or takes it off; rejects with a sentence when the far end refuses. */
  setHold: { data: CallIdSchema.extend({ hold: z.boolean() }), result: z.null() },
  /** Keypad digits pressed during an established call (`0-9`, `*`, `#`, `A-D`), sent in order. */
  sendDtmf: { data: CallIdSchema.extend({ digits: z.string().regex(DTMF_DIGITS).max(32) }), result: z.null() },
  /** Blind transfer of an established call to a number, extension or SIP URI as typed. */
  blindTransfer: { data: CallIdSchema.extend({ target: z.string().min(1).max(256) }), result: z.null() },
  /**
   * "Ask first": puts the call on hold and calls the target (typed as for the dialpad); the result
   * is the consult call's id.
   */
  startConsultTransfer: {
    data: CallIdSchema.extend({ target: z.string().min(1).max(256) }),
    result: z.object({ consultCallId: z.string() }),
  },
  /** "Ask first": hands the caller (`callId`) over to the consult call's target. */
  completeTransfer: { data: CallIdSchema, result: z.null() },
  /** "Ask first": hangs up the consult call and returns to the caller (`callId`). */
  cancelTransfer: { data: CallIdSchema, result: z.null() },
  /** Record / Stop recording on the call card (the account's policy must be `on-demand`). */
  startRecording: { data: CallIdSchema, result: z.null() },
  stopRecording: { data: CallIdSchema, result: z.null() },
  /**
   * A recording's audio, base64, for the panel's player and download. Chrome's 64 MiB message cap
   * holds hours of 32 kbps Opus (segments are cut at 2 hours).
   */
  getRecordingAudio: {
    data: RecordingIdSchema,
    result: z.object({ mimeType: z.string(), data: z.base64(), durationMs: z.number().nonnegative() }),
  },
  /** Deletes a recording; its call stays, and no longer points to it. */
  deleteRecording: { data: RecordingIdSchema, result: z.null() },
  /** The agent read the message about the last recording that could not be saved (`recordingErrorItem`). */
  clearRecordingError: { data: z.object({}), result: z.null() },
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
   * Sets the note of a call: edits its first note, or adds one; blank text deletes it. `callId` is
   * the history id (the row's `id`, or `callRecordId` of a live call).
   */
  saveCallNote: {
    data: z.object({ callId: HistoryIdSchema, text: z.string().max(NOTE_MAX_LENGTH) }),
    result: z.object({ noteId: z.string().optional() }),
  },
  /** Sets the disposition of a call by its history id; `null` clears it. */
  setCallDisposition: {
    data: z.object({ callId: HistoryIdSchema, disposition: DispositionSchema.nullable() }),
    result: z.null(),
  },
  /** The note and disposition of a call by its history id, for the after-call editor. */
  getCallWrapUp: {
    data: z.object({ callId: HistoryIdSchema }),
    result: z.object({ noteText: z.string().optional(), disposition: z.string().optional() }),
  },
  /**
   * Calls whose number, name or note words match the query, newest first, as history rows; and
   * matching numbers without a call among them (`numbers`, e.g. numbers that only exchanged messages).
   */
  searchHistory: {
    data: z.object({ query: z.string().max(200) }),
    result: z.object({ rows: z.array(HistoryRowSchema), numbers: z.array(NumberHitSchema).optional() }),
  },
  /** A number's calls and notes merged newest first; `numberKey` is a row's `numberKey`. */
  /**
   * Who is calling: the caller's cards from the contact cache, at once (the background refreshes a
   * stale CRM card behind it); `chosen` is the record the agent picked earlier for this number;
   * `crmCreates`: what the connected CRM can create for an unknown caller (absent: local contacts).
   */
  lookupCaller: {
    data: z.object({ number: CallerNumberSchema }),
    result: z.object({
      numberKey: z.string(),
      matches: z.array(CrmMatchSchema),
      chosen: z.string().optional(),
      crmCreates: z.array(CrmCreatableKindSchema).optional(),
    }),
  },
  /**
   * "Create contact" / "Create lead" for an unknown caller, in the connected CRM; answers the
   * caller's refreshed cards, or a `problem` to word (the form keeps what was typed).
   */
  createCrmRecord: { data: CrmCreateRequestSchema, result: CrmCreateResultSchema },
  /** The agent picked one of several records for a number; it comes first from then on. */
  chooseCaller: { data: z.object({ number: CallerNumberSchema, ref: CrmEntityRefSchema }), result: z.null() },
  /** Adds ("Add contact") or edits ("Edit") a local contact; a bad draft comes back as `problem`. */
  saveContact: {
    data: ContactDraftSchema,
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), id: z.string() }),
      z.object({ ok: z.literal(false), problem: z.enum(['no-name', 'no-phone', 'not-found']) }),
    ]),
  },
  /** Deletes a local contact. */
  deleteContact: { data: z.object({ id: z.string().min(1).max(200) }), result: z.null() },
  /** "Open in CRM": focuses a tab with the record's address, or opens one. */
  openCrmRecord: { data: z.object({ url: z.url({ protocol: /^https$/ }) }), result: z.null() },
  getNumberTimeline: {
    data: z.object({ numberKey: z.string().min(1).max(300) }),
    result: z.object({ entries: z.array(TimelineEntrySchema) }),
  },
  /** The number's record in the connected CRM: its notes and events, newest first (none without a CRM). */
  getCrmTimeline: {
    data: z.object({ numberKey: z.string().min(1).max(300) }),
    result: CrmTimelineSchema,
  },
  /**
   * Sends a text message (SIP MESSAGE) to a timeline's number (`numberKey`) or to a number,
   * extension or SIP address as typed (`target`), from `accountId` or the first registered account.
   * A message the server refuses is stored as failed and answered with `failure`; an address that
   * cannot be messaged or no registered account rejects with a sentence for the user.
   */
  sendMessage: {
    data: z
      .object({
        numberKey: z.string().min(1).max(300).optional(),
        target: z.string().min(1).max(256).optional(),
        body: z.string().min(1).max(MAX_SENT_MESSAGE_CHARS).refine((text) => text.trim() !== '', 'blank message'),
        accountId: z.string().optional(),
      })
      .refine((data) => (data.numberKey === undefined) !== (data.target === undefined), 'give numberKey or target'),
    result: z.object({
      id: z.string(),
      status: z.enum(['sent', 'failed']),
      failure: MessageFailureSchema.optional(),
    }),
  },
  /**
   * Call analytics of `[from, to)` (epoch ms), days and hours counted in `timeZone` (the panel's):
   * counts, talk and ring times, callbacks of missed calls, top numbers, per day and per hour.
   */
  getAnalytics: { data: AnalyticsRequestSchema, result: CallAnalyticsSchema },
  /** How many finished calls the CRM has not accepted yet, when the next attempt is, or why it paused. */
  getCrmOutboxStatus: { data: z.object({}), result: CrmOutboxStatusSchema },
  /** *Retry now*: lifts a pause and sends every pending call at once; answers the status after it. */
  retryCrmOutbox: { data: z.object({}), result: CrmOutboxStatusSchema },
  /**
   * *Done* in a finished call's after-call editor (its note is saved): the call need not wait out
   * the wrap-up grace and goes to the CRM now, with its note and disposition. By history id.
   */
  finishWrapUp: { data: z.object({ callId: HistoryIdSchema }), result: z.null() },
  /** *Done* on the callback list: the callback is closed, and so are its number's missed calls. */
  completeCallback: { data: z.object({ taskId: z.string().min(1).max(400) }), result: z.null() },
});
