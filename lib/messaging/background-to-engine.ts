import { z } from 'zod';
import { CrmEntityRefSchema } from '@/lib/crm/crm-card-schema';
import { defineProtocol } from '@/lib/messaging/protocol';
import { CallHandlingSchema } from '@/lib/phone/call-handling';
import { DTMF_DIGITS } from '@/lib/phone/dtmf-queue';
import { MessageFailureSchema } from '@/lib/phone/message-failure';
import { ConnectionTestResultSchema, PhoneSnapshotSchema } from '@/lib/phone/phone-snapshot';
import { MAX_SENT_MESSAGE_CHARS } from '@/lib/phone/text-message';
import { AccountSchema, AudioSettingsSchema } from '@/lib/settings/settings-schema';

const CallIdSchema = z.object({ callId: z.string().min(1) });

/** Calls that could not be put on hold when another was answered (they are muted instead). */
export const NotHeldSchema = z.object({ callId: z.string(), code: z.number().int().optional() });
const AnswerResultSchema = z.object({ notHeld: z.array(NotHeldSchema) });

/** Background → phone engine (offscreen document on Chrome; direct calls on Firefox). */
export const BackgroundToEngine = defineProtocol('BackgroundToEngine', {
  /**
   * Desired accounts; idempotent: unchanged accounts keep their registration. `callHandling`
   * (Do not disturb, auto-answer) applies to the next incoming call; absent means neither.
   * `audio` (devices, ring volume, processing) applies to live calls too; absent means the defaults.
   */
  configure: {
    data: z.object({
      accounts: z.array(AccountSchema),
      ringbackRegion: z.string(),
      callHandling: CallHandlingSchema.optional(),
      audio: AudioSettingsSchema.optional(),
    }),
    result: PhoneSnapshotSchema,
  },
  getSnapshot: { data: z.object({}), result: PhoneSnapshotSchema },
  /** `target` is a complete SIP URI; the background has normalized it. */
  placeCall: {
    data: z.object({
      accountId: z.string(),
      target: z.string().regex(/^sips?:/),
      displayTarget: z.string(),
      /** The CRM record the call is about (started on its card); the call's snapshots carry it. */
      crmEntity: CrmEntityRefSchema.optional(),
    }),
    result: z.object({ callId: z.string() }),
  },
  /**
   * Sends a text MESSAGE to a complete SIP URI. An error answer is part of the result rather than a
   * rejection: only an error's name and message cross a context boundary, and the background needs
   * the typed `failure` to keep with the message. `messageId` is the MESSAGE's Call-ID (a local
   * id when no answer carried one).
   */
  sendMessage: {
    data: z.object({
      accountId: z.string(),
      target: z.string().regex(/^sips?:/),
      body: z.string().min(1).max(MAX_SENT_MESSAGE_CHARS),
    }),
    result: z.object({
      messageId: z.string(),
      failure: MessageFailureSchema.optional(),
      detail: z.string().optional(),
    }),
  },
  /** Answers a ringing call; a call the agent talks to is held first (as `answerAndHold`). */
  answer: { data: CallIdSchema, result: z.null() },
  /** Keeps a ringing call ringing: drops its pending auto-answer. */
  cancelAutoAnswer: { data: CallIdSchema, result: z.null() },
  /** Answers a waiting call after holding the call the agent talks to; says which could not be held. */
  answerAndHold: { data: CallIdSchema, result: AnswerResultSchema },
  /** Hangs up the other calls, then answers the ringing one. */
  hangupAndAnswer: { data: CallIdSchema, result: AnswerResultSchema },
  /** Holds the active call, then resumes the held one. */
  swapCalls: { data: z.object({}), result: z.null() },
  /** Resumes the held call and mixes both into a 3-way conference. */
  mergeCalls: { data: z.object({}), result: z.null() },
  /** Ends the conference: `keepCallId` stays with the agent, the other call is held. */
  splitConference: { data: z.object({ keepCallId: z.string().min(1) }), result: z.null() },
  decline: { data: CallIdSchema.extend({ code: z.union([z.literal(486), z.literal(603)]) }), result: z.null() },
  hangup: { data: CallIdSchema, result: z.null() },
  setMute: { data: CallIdSchema.extend({ muted: z.boolean() }), result: z.null() },
  /** Hold (`true`) or resume; resolves once the far end accepted the re-INVITE. */
  setHold: { data: CallIdSchema.extend({ hold: z.boolean() }), result: z.null() },
  /** Keypad digits to send on an established call, in order after any still waiting. */
  sendDtmf: { data: CallIdSchema.extend({ digits: z.string().regex(DTMF_DIGITS).max(32) }), result: z.null() },
  /** Blind transfer (REFER) of an established call to `target`, a complete SIP URI. */
  blindTransfer: {
    data: CallIdSchema.extend({ target: z.string().regex(/^sips?:/), displayTarget: z.string() }),
    result: z.null(),
  },
  /** "Ask first": holds the call and dials `target` (a complete SIP URI) as a linked consult call. */
  startConsultTransfer: {
    data: CallIdSchema.extend({ target: z.string().regex(/^sips?:/), displayTarget: z.string() }),
    result: z.object({ consultCallId: z.string() }),
  },
  /** "Ask first", complete: REFER with Replaces; `callId` is the caller's call. */
  completeTransfer: { data: CallIdSchema, result: z.null() },
  /** "Ask first", cancel: hangs up the consult call and resumes the caller's call `callId`. */
  cancelTransfer: { data: CallIdSchema, result: z.null() },
  /** Starts or stops recording a call; the account's recording policy must allow it. */
  startRecording: { data: CallIdSchema, result: z.null() },
  stopRecording: { data: CallIdSchema, result: z.null() },
  retry: { data: z.object({ accountId: z.string().optional() }), result: z.null() },
  checkMicrophone: { data: z.object({}), result: z.null() },
  testConnection: { data: z.object({ account: AccountSchema }), result: ConnectionTestResultSchema },
});
