import { z } from 'zod';
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
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** The parts of `sipUri`: `user` and `host` (with port when given). */
export function splitSipAddress(sipUri: string): { user: string; host: string } {
  const address = sipUri.replace(/^sips?:/i, '');
  const at = address.lastIndexOf('@');
  return { user: address.slice(0, at), host: address.slice(at + 1) };
}
