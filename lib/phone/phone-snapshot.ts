import { z } from 'zod';
import { CrmEntityRefSchema } from '@/lib/crm/crm-card-schema';
import { CallQualitySchema } from '@/lib/phone/call-quality';
import { HoldState } from '@/lib/phone/hold-state';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { LineRole } from '@/lib/phone/line-coordinator';
import { DtmfFailureSchema } from '@/lib/phone/dtmf-queue';
import { TransferFailureSchema } from '@/lib/phone/transfer-failure';
import { TransferState } from '@/lib/phone/transfer-state';
import { RegistrationState } from '@/lib/phone/registration-state';
import { RecordingPolicySchema } from '@/lib/settings/settings-schema';

/**
 * Why a registration is not up, in categories a user can act on. The panel and the options page turn
 * them into sentences (`lib/i18n`).
 */
export const RegistrationFailureSchema = z.enum([
  /** The WebSocket could not be opened: wrong address, server down, or (wss) an untrusted certificate. */
  'unreachable',
  /** The server refused the credentials (401/407 after a digest answer, or 403). */
  'auth-rejected',
  /** No answer in time. */
  'timeout',
  /** The server answered with an error other than an authentication one. */
  'server-error',
  /** The connection to the server was lost. */
  'connection-lost',
  /** The browser says it is offline. */
  'offline',
  /** The microphone is not granted; calls cannot carry audio. */
  'no-microphone',
]);
export type RegistrationFailure = z.infer<typeof RegistrationFailureSchema>;

export const AccountStatusSchema = z.object({
  accountId: z.string(),
  /** `user@host` of the account. */
  aor: z.string(),
  state: z.enum(RegistrationState),
  failure: RegistrationFailureSchema.optional(),
  /** SIP status code or transport detail behind `failure`, for the curious. */
  detail: z.string().optional(),
  /** When the next automatic attempt is due (epoch ms), while `Waiting`. */
  retryAt: z.number().optional(),
  /** Attempts since the last success. */
  attempts: z.number().int().nonnegative(),
});
export type AccountStatus = z.infer<typeof AccountStatusSchema>;

/** How many of the last keypad digits sent a snapshot keeps. */
export const DTMF_SENT_KEPT = 64;

/** Keypad digits sent during a call. */
export const DtmfSnapshotSchema = z.object({
  /** The digits sent so far, oldest first (the last {@link DTMF_SENT_KEPT}). */
  sent: z.string().max(DTMF_SENT_KEPT),
  /** Why the last digit could not be sent; cleared by the next digit that goes out. */
  failure: DtmfFailureSchema.optional(),
  /** The far end's answer to a refused INFO. */
  sipCode: z.number().int().optional(),
});
export type DtmfSnapshot = z.infer<typeof DtmfSnapshotSchema>;

/** The transfer of a call, once one was attempted (see `CallTransfer`). */
export const TransferSnapshotSchema = z.object({
  state: z.enum(TransferState),
  kind: z.enum(['blind', 'attended']),
  /** The target as the agent typed it, normalized for display. */
  target: z.string(),
  /** The consult call of an "ask first" transfer, while it exists. */
  consultCallId: z.string().optional(),
  /** Why the last attempt failed; the call with the caller goes on. */
  failure: TransferFailureSchema.optional(),
  /** The SIP status code behind `failure`, when there is one. */
  sipCode: z.number().int().optional(),
});
export type TransferSnapshot = z.infer<typeof TransferSnapshotSchema>;

export const CallSnapshotSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  /** The far end's SIP URI. */
  remoteUri: z.string(),
  /** The far end's number or user part, as the PBX gave it. */
  remoteNumber: z.string(),
  remoteName: z.string().optional(),
  /**
   * The CRM record the call is about, when it was started on that record's card in the CRM (an
   * amoCRM lead, contact or company page): history logs the call against it, the panel shows it.
   */
  crmEntity: CrmEntityRefSchema.optional(),
  state: z.enum(CallState),
  muted: z.boolean(),
  startedAt: z.number(),
  answeredAt: z.number().optional(),
  endedAt: z.number().optional(),
  endReason: z.enum(CallEndReason).optional(),
  /** SIP status code when the call was refused or failed. */
  sipCode: z.number().int().optional(),
  /** While the call is up: the last seconds' audio quality; once ended: the whole call's. */
  quality: CallQualitySchema.optional(),
  /**
   * The recording policy of the call's account, when it is not `off` (the panel offers Record
   * under `on-demand`). Absent in snapshots of engines that predate recording.
   */
  recordingPolicy: RecordingPolicySchema.optional(),
  /** Audio is being recorded right now; absent means no. */
  recording: z.boolean().optional(),
  /** Our hold of the established call; absent before it is established. */
  hold: z.enum(HoldState).optional(),
  /** The far end has put the call on hold (its offer was sendonly or inactive). */
  remoteHold: z.boolean().optional(),
  /**
   * Why the engine refused the call by itself, without ringing: `dnd` while Do not disturb was on.
   * Such a call goes straight to `recent`; history keeps it as missed, with this marker.
   */
  refusal: z.enum(['dnd', 'lines-busy']).optional(),
  /** When the engine will answer this ringing call by itself (epoch ms): auto-answer or intercom. */
  autoAnswerAt: z.number().optional(),
  /**
   * What the call is among the calls up (active, held, waiting, in the conference…), by the line
   * rules; absent in ended calls and in snapshots of engines that predate a second line.
   */
  line: z.enum(LineRole).optional(),
  /** The call is in the 3-way conference mixed by the engine (being merged, mixed or split). */
  conference: z.boolean().optional(),
  /**
   * The established call lost its connection to the server or its media path and is being
   * restored (re-registration, then a re-INVITE with an ICE restart); absent means no.
   */
  reconnecting: z.boolean().optional(),
  /** Keypad digits sent during the call; absent until the first one. */
  dtmf: DtmfSnapshotSchema.optional(),
  /** The call's transfer, once the agent tried one. */
  transfer: TransferSnapshotSchema.optional(),
  /** On the consult call of an "ask first" transfer: the id of the caller's call it is about. */
  consultFor: z.string().optional(),
});
export type CallSnapshot = z.infer<typeof CallSnapshotSchema>;

/**
 * Remembered audio devices that are not connected now, so the system default is used instead: the
 * label last seen of each (`''` when it was never known). Absent roles use what was chosen.
 */
export const AudioFallbackSchema = z.object({
  microphone: z.string().optional(),
  speaker: z.string().optional(),
  ringer: z.string().optional(),
});
export type AudioFallback = z.infer<typeof AudioFallbackSchema>;

/**
 * Everything the UI needs to show the phone: registration per account and the calls.
 *
 * The engine is the only writer; the background mirrors the latest snapshot into `storage.session`
 * so a restarted service worker or a re-opened panel shows the truth at once.
 */
export const PhoneSnapshotSchema = z.object({
  /** Increases with every snapshot the engine publishes; lets readers drop stale ones. */
  seq: z.number().int().nonnegative(),
  /** Identifies one engine instance (a new offscreen document starts a new one). */
  engineId: z.string(),
  accounts: z.array(AccountStatusSchema),
  /** Calls that are not over yet, oldest first. */
  calls: z.array(CallSnapshotSchema),
  /** The most recently ended calls, newest first (a few, so the panel can say how the call ended). */
  recent: z.array(CallSnapshotSchema),
  microphone: z.enum(['unknown', 'granted', 'denied']),
  /** Do not disturb is on in the engine (incoming calls are refused); absent means off. */
  doNotDisturb: z.boolean().optional(),
  /** Chosen audio devices that are not connected (the panel says the default is used); absent: none. */
  audioFallback: AudioFallbackSchema.optional(),
});
export type PhoneSnapshot = z.infer<typeof PhoneSnapshotSchema>;

export const EMPTY_SNAPSHOT: PhoneSnapshot = {
  seq: 0,
  engineId: '',
  accounts: [],
  calls: [],
  recent: [],
  microphone: 'unknown',
};

/** Result of "Test connection": whether a registration with the given settings succeeds. */
export const ConnectionTestResultSchema = z.object({
  ok: z.boolean(),
  failure: RegistrationFailureSchema.optional(),
  detail: z.string().optional(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;
