import { z } from 'zod';
import { CrmEntityRefSchema } from '@/lib/crm/crm-card-schema';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { CallQualitySchema } from '@/lib/phone/call-quality';
import { CallEndReason, CallState } from '@/lib/phone/call-state';

/**
 * How a finished call went, as history and analytics count it.
 *
 * - `answered`: somebody picked up (whatever happened after);
 * - `missed`: inbound, never answered, the caller gave up or the PBX stopped ringing us;
 * - `declined`: inbound declined by this agent, or outbound refused with 603 Decline;
 * - `busy`: outbound refused with 486 Busy Here or 600 Busy Everywhere;
 * - `failed`: refused for another reason, or broke before anyone answered;
 * - `cancelled`: outbound hung up by this agent before the far end answered;
 * - `interrupted`: the extension stopped (browser crash, engine gone) while the call was going on;
 *   its end is the last moment the call was known to be alive.
 */
export const CallOutcomeSchema = z.enum([
  'answered',
  'missed',
  'declined',
  'busy',
  'failed',
  'cancelled',
  'interrupted',
]);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

/** Where a finished call stands with the CRM: queued, sent, given up on, or not to be sent. */
export const CrmSyncStateSchema = z.enum(['pending', 'synced', 'failed', 'skipped']);
export type CrmSyncState = z.infer<typeof CrmSyncStateSchema>;

/** What the media statistics said about a call, summed up when it ended (`lib/phone/call-quality.ts`). */
export { CallQualitySchema, type CallQuality } from '@/lib/phone/call-quality';

/** One call in history: written while it rings, updated at each state change, frozen once finished. */
export const CallRecordSchema = z.object({
  /** {@link callRecordId}: start time + the engine's call id, so key order is time order. */
  id: z.string().min(1),
  /** The engine's id of the call (`CallSnapshot.id`). */
  callId: z.string().min(1),
  accountId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  remoteUri: z.string(),
  /** The far end's number as it was dialled or as the PBX presented it. */
  remoteRaw: z.string(),
  /** The far end's number in E.164, when it reads as a phone number. */
  remoteE164: z.string().optional(),
  /**
   * The key every table uses for "this number": the E.164 form when there is one, else the
   * extension digits or the lower-cased address. Indexed as `[numberKey+id]` for the timeline.
   */
  numberKey: z.string(),
  remoteName: z.string().optional(),
  /** The cached contact the number belonged to when the call started. */
  contactId: z.string().optional(),
  /**
   * The CRM record the call was started on (its card was open in the CRM): the CRM outbox logs the
   * call against it rather than letting the CRM place it by number. Not indexed (no schema version).
   */
  crmEntity: CrmEntityRefSchema.optional(),
  /** The last state seen; `ended` once finished (also for interrupted calls). */
  state: z.enum(CallState),
  startedAt: z.number(),
  /** When the far end started ringing (outbound: first 180/183 seen; inbound: {@link startedAt}). */
  ringingAt: z.number().optional(),
  answeredAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** From ringing to answer, or to the end if nobody answered (set when finished). */
  ringMs: z.number().nonnegative().optional(),
  /** From answer to end; 0 when not answered (set when finished). */
  talkMs: z.number().nonnegative().optional(),
  /** Set when the call finished; absent while it is in progress. */
  outcome: CallOutcomeSchema.optional(),
  endReason: z.enum(CallEndReason).optional(),
  hangupBy: z.enum(['local', 'remote']).optional(),
  /** The SIP status code of a refusal or failure (the SIP cause). */
  sipCode: z.number().int().optional(),
  /** The agent's disposition code or label for the call. */
  disposition: z.string().optional(),
  quality: CallQualitySchema.optional(),
  recordingId: z.string().optional(),
  crmState: CrmSyncStateSchema.optional(),
  crmSyncedAt: z.number().optional(),
  crmExternalId: z.string().optional(),
  crmError: z.string().optional(),
  /**
   * CRM outbox bookkeeping of a pending call (`lib/history/crm-outbox.ts`): failed attempts so far and
   * when the next one is due. Not indexed (no schema version): the outbox reads the `crmState` index.
   */
  crmAttempts: z.number().int().nonnegative().optional(),
  crmNextAt: z.number().optional(),
  /**
   * The CRM writes of this call already accepted (`lib/history/crm-outbox-steps.ts`): the call log
   * itself, the callback task of a missed call, the note of an answered one. Each is recorded the
   * moment the CRM accepts it, so a worker stopped half-way resumes with the next write, never
   * repeating one. Not indexed.
   */
  crmSteps: z.array(z.enum(['call', 'task', 'note'])).optional(),
  /**
   * CRM writes of this call sent at least once without their answer recorded: the worker may have
   * stopped after the CRM accepted one. Before sending such a write again, the outbox looks for it in
   * the CRM (a task or note with the same text) and keeps the one it finds. Not indexed.
   */
  crmAttempted: z.array(z.enum(['task', 'note', 'follow-up'])).optional(),
  /**
   * The CRM record the call was logged against (the task and the note go there too); not the same
   * as {@link crmEntity}, the record the call was started on, which the CRM may have replaced.
   */
  crmLoggedOn: z.object({ kind: z.enum(['contact', 'company', 'lead']), id: z.string() }).optional(),
  /**
   * The agent's note and disposition as the CRM last received them (with the call log, or in a
   * follow-up note): a later edit is sent as a follow-up note only when it differs. Not indexed.
   */
  crmSentWrapUp: z.object({ note: z.string().optional(), disposition: z.string().optional() }).optional(),
  /** A changed note waits until this time for more typing before its follow-up goes. Not indexed. */
  crmSettleUntil: z.number().optional(),
  /**
   * When the agent pressed *Done* in the call's after-call editor: the call need not wait out the
   * rest of the wrap-up grace before it goes to the CRM (`WRAP_UP_GRACE_MS`). Not indexed.
   */
  wrapUpDoneAt: z.number().optional(),
  /**
   * For a missed call: when the first later outbound call to the same number started (the
   * callback), linked when that call is written, so analytics of a range needs no look-ahead.
   */
  callbackAt: z.number().optional(),
  /**
   * A missed call stays "to handle" until a callback to its number connects or the agent marks it
   * done: then this is when, and {@link missedHandledBy} how. Not indexed (no schema version):
   * the missed list filters the `[outcome+id]` index instead.
   */
  missedHandledAt: z.number().optional(),
  missedHandledBy: z.enum(['callback', 'dismissed']).optional(),
  /**
   * The engine refused the call by itself, without ringing: `dnd` (Do not disturb was on) or
   * `lines-busy` (two calls were up already, so the caller heard busy).
   */
  refusal: z.enum(['dnd', 'lines-busy']).optional(),
  /** Search words of the remote name and the contact's name (schema v2). */
  words: z.array(z.string()),
  /** When the row last changed. */
  updatedAt: z.number(),
  /** The last moment the call was known to be alive; an interrupted call ends here. */
  lastSeenAt: z.number(),
});
export type CallRecord = z.infer<typeof CallRecordSchema>;

/** The history id of the engine's call `callId` that started at `startedAt`. */
export function callRecordId(callId: string, startedAt: number): string {
  return timeOrderedId(startedAt, callId);
}
