import { z } from 'zod';
import { AfterCallSettingsSchema } from '@/lib/settings/after-call-settings';
import { CrmSettingsSchema } from '@/lib/settings/crm-settings';
import { isSupportedCountry } from 'libphonenumber-js/min';
import { DISPOSITION_MAX_LENGTH } from '@/lib/history/dispositions';

/**
 * The settings schema: the single source of truth for what a valid configuration is.
 *
 * Error messages are i18n keys (`settings.error.*`), so the options page can show field-level messages
 * in the user's language; see `lib/i18n/options-messages.ts`.
 */

/** A STUN or TURN server as RTCPeerConnection takes it. */
export const IceServerSchema = z.object({
  urls: z
    .string()
    .trim()
    .regex(/^(stun|stuns|turn|turns):[^\s]+$/i, { message: 'settings.error.iceUrl' }),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

/** `user@host` (a leading `sip:` is accepted and removed). */
export const SipAddressSchema = z
  .string()
  .trim()
  .transform((value) => value.replace(/^sips?:/i, ''))
  .pipe(
    z
      .string()
      .regex(/^[^@\s:;]+@[A-Za-z0-9.-]+(:\d{1,5})?$/, { message: 'settings.error.sipUri' }),
  );

/** A SIP-over-WebSocket server address (RFC 7118): ws:// or wss://. */
export const WebSocketServerSchema = z
  .string()
  .trim()
  .min(1, { message: 'settings.error.required', abort: true })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { message: 'settings.error.wsServer' },
  );

/**
 * When an account's calls are recorded: never; when the agent presses Record (several pieces per
 * call are allowed); or every answered call from answer to hang-up.
 */
export const RecordingPolicySchema = z.enum(['off', 'on-demand', 'always']);
export type RecordingPolicy = z.infer<typeof RecordingPolicySchema>;

/** How the digits pressed during an account's calls are sent. */
export const DtmfMethodSchema = z.enum([
  /** RFC 4733 telephone-events in the call's RTP (`RTCDTMFSender`): what PBXs expect by default. */
  'rfc4733',
  /** SIP INFO with an `application/dtmf-relay` body, which Asterisk and FreeSWITCH accept. */
  'info',
]);
export type DtmfMethod = z.infer<typeof DtmfMethodSchema>;

/** One SIP account: one SIP.js UserAgent and Registerer in the phone engine. */
export const AccountSchema = z.object({
  /** Stable id; `policy` is reserved for the account an administrator provisions. */
  id: z.string().min(1),
  enabled: z.boolean().default(true),
  wsServer: WebSocketServerSchema,
  sipUri: SipAddressSchema,
  /** Digest user name when it differs from the user part of `sipUri`; empty means the same. */
  authUser: z.string().trim().default(''),
  password: z.string().min(1, { message: 'settings.error.required' }),
  displayName: z.string().trim().max(64, { message: 'settings.error.tooLong' }).default(''),
  iceServers: z.array(IceServerSchema).default([]),
  /** Whether calls of this account are recorded; see {@link RecordingPolicySchema}. */
  recording: RecordingPolicySchema.default('off'),
  /**
   * The consent notice: a short beep both parties hear when recording starts, and the call card
   * shows "Recording" for as long as it lasts.
   */
  recordingNotice: z.boolean().default(false),
  /** How digits pressed during a call are sent; see {@link DtmfMethodSchema}. */
  dtmfMethod: DtmfMethodSchema.default('rfc4733'),
});
export type Account = z.infer<typeof AccountSchema>;
export type AccountInput = z.input<typeof AccountSchema>;

/** How a number normalized to E.164 is sent to the PBX (dial plans differ). */
export const DialFormatSchema = z.enum(['e164', 'e164-no-plus', 'national']);
export type DialFormat = z.infer<typeof DialFormatSchema>;

/** ISO 3166-1 alpha-2 code that libphonenumber-js knows. */
export const CountrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => isSupportedCountry(value), { message: 'settings.error.country' });

/** The SIP answer to callers while Do not disturb is on; see `SettingsSchema.dndResponse`. */
export const DndResponseSchema = z.union([z.literal(486), z.literal(480), z.literal(302)]);
export type DndResponse = z.infer<typeof DndResponseSchema>;

/**
 * A chosen audio device: its id (valid only for this extension's origin in this browser profile,
 * which the options page and the engine's document share) and the label last seen, so a device
 * that is unplugged can still be named.
 */
export const AudioDeviceChoiceSchema = z.object({
  deviceId: z.string().min(1),
  label: z.string().default(''),
});
export type AudioDeviceChoice = z.infer<typeof AudioDeviceChoiceSchema>;

/**
 * Where call audio comes from and goes to. An absent device means the system default. The ringer
 * is separate from the speaker so an agent on a headset still hears calls arrive on the desk
 * speakers.
 */
export const AudioSettingsSchema = z.object({
  microphone: AudioDeviceChoiceSchema.optional(),
  speaker: AudioDeviceChoiceSchema.optional(),
  ringer: AudioDeviceChoiceSchema.optional(),
  /** Loudness of the incoming-call ringtone, 0–100. */
  ringVolume: z.number().int().min(0).max(100).default(80),
  /** Microphone processing by the browser (getUserMedia constraints of the same names). */
  echoCancellation: z.boolean().default(true),
  noiseSuppression: z.boolean().default(true),
  autoGainControl: z.boolean().default(true),
});
export type AudioSettings = z.infer<typeof AudioSettingsSchema>;

export const DEFAULT_AUDIO_SETTINGS: AudioSettings = AudioSettingsSchema.parse({});

export const SettingsSchema = z.object({
  accounts: z.array(AccountSchema).default([]),
  /** Country used to read numbers written without a country code. */
  defaultCountry: CountrySchema.default('RU'),
  dialFormat: DialFormatSchema.default('e164'),
  /** SIP code sent when the agent declines: 486 Busy Here (the PBX may try voicemail) or 603 Decline. */
  declineCode: z.union([z.literal(486), z.literal(603)]).default(486),
  /**
   * The team's own dispositions, offered in this order after a call; empty means the standard list
   * (`STANDARD_DISPOSITIONS`, worded in the agent's language).
   */
  dispositions: z
    .array(z.string().trim().min(1).max(DISPOSITION_MAX_LENGTH, { message: 'settings.error.tooLong' }))
    .max(40, { message: 'settings.error.tooMany' })
    .refine((labels) => new Set(labels.map((label) => label.toLowerCase())).size === labels.length, {
      message: 'settings.error.duplicate',
    })
    .default([]),
  /** Recordings older than this many days are deleted; 0 keeps them forever. */
  recordingRetentionDays: z
    .number({ message: 'settings.error.retentionDays' })
    .int({ message: 'settings.error.retentionDays' })
    .min(0, { message: 'settings.error.retentionDays' })
    .max(3650, { message: 'settings.error.retentionDays' })
    .default(90),
  /** The oldest recordings are deleted once all of them together take more than this (MB, 10⁶ bytes). */
  recordingMaxMb: z
    .number({ message: 'settings.error.recordingMaxMb' })
    .int({ message: 'settings.error.recordingMaxMb' })
    .min(1, { message: 'settings.error.recordingMaxMb' })
    .max(1_000_000, { message: 'settings.error.recordingMaxMb' })
    .default(1000),
  /**
   * What callers get while Do not disturb is on: 486 Busy Here (the PBX may send them to
   * voicemail, RFC 3261 §21.4.24), 480 Temporarily Unavailable (§21.4.18), or 302 Moved Temporarily
   * to {@link dndRedirectTarget} (§21.3.3), e.g. the voicemail box.
   */
  dndResponse: DndResponseSchema.default(486),
  /**
   * Where 302 sends callers while Do not disturb is on: a number, extension or SIP address. The
   * options form requires it with 302; a stored 302 without a usable target answers 486 instead.
   */
  dndRedirectTarget: z.string().trim().max(256, { message: 'settings.error.tooLong' }).default(''),
  /** Answer incoming calls by themselves after {@link autoAnswerDelaySeconds}, when no other call is up. */
  autoAnswer: z.boolean().default(false),
  /** Seconds an incoming call rings before auto-answer picks it up (0–10). */
  autoAnswerDelaySeconds: z
    .number({ message: 'settings.error.autoAnswerDelay' })
    .int({ message: 'settings.error.autoAnswerDelay' })
    .min(0, { message: 'settings.error.autoAnswerDelay' })
    .max(10, { message: 'settings.error.autoAnswerDelay' })
    .default(3),
  /**
   * Honour a PBX's intercom hint (`Call-Info: …;answer-after=N`, `Alert-Info: …auto-answer…`,
   * `Answer-Mode: Auto` of RFC 5373) by answering after the delay it asks for, even with
   * {@link autoAnswer} off.
   */
  intercomAutoAnswer: z.boolean().default(false),
  /** Audio devices, ring volume and microphone processing (saved by the options page's Audio section). */
  audio: AudioSettingsSchema.prefault({}),
  /** The CRM connection (saved by the options page's CRM section); none by default. */
  crm: CrmSettingsSchema.prefault({}),
  /** After-call automation: callback tasks of missed calls, notes of answered calls, new numbers. */
  afterCall: AfterCallSettingsSchema.prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** The parts of `sipUri`: `user` and `host` (with port when given). */
export function splitSipAddress(sipUri: string): { user: string; host: string } {
  const address = sipUri.replace(/^sips?:/i, '');
  const at = address.lastIndexOf('@');
  return { user: address.slice(0, at), host: address.slice(at + 1) };
}
