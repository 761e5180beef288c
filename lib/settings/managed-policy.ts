import { z } from 'zod';
import { AfterCallSettingsSchema } from '@/lib/settings/after-call-settings';
import {
  DialFormatSchema,
  DtmfMethodSchema,
  IceServerSchema,
  RecordingPolicySchema,
  SettingsSchema,
} from '@/lib/settings/settings-schema';

const afterCallRules = AfterCallSettingsSchema.shape;

/**
 * The after-call rules an administrator fixes, each on its own: a team may fix only the callback
 * SLA (`callbackDueMinutes`) and leave the rest to each agent. The rules' own schemas without their
 * defaults, so a rule the policy leaves out stays the agent's choice.
 */
export const AfterCallPolicySchema = z.object({
  callbackTask: afterCallRules.callbackTask.unwrap().optional(),
  callbackDueMinutes: afterCallRules.callbackDueMinutes.unwrap().optional(),
  answeredNote: afterCallRules.answeredNote.unwrap().optional(),
  newNumber: afterCallRules.newNumber.unwrap().optional(),
});
export type AfterCallPolicy = z.infer<typeof AfterCallPolicySchema>;

/**
 * What an administrator can provision through enterprise policy (Chrome `storage.managed` with
 * `public/managed_schema.json`; Firefox `policies.json` → `3rdparty.Extensions`). Every key is optional;
 * values that do not validate are ignored one by one rather than voiding the whole policy.
 */
export const ManagedPolicySchema = z.object({
  wsServer: z.string().optional(),
  sipUri: z.string().optional(),
  authUser: z.string().optional(),
  password: z.string().optional(),
  displayName: z.string().optional(),
  iceServers: z.array(IceServerSchema).optional(),
  defaultCountry: z.string().optional(),
  dialFormat: DialFormatSchema.optional(),
  declineCode: z.union([z.literal(486), z.literal(603)]).optional(),
  /** The team's dispositions, fixed for every agent. */
  dispositions: SettingsSchema.shape.dispositions.optional(),
  /** `false` hides the user's own accounts: only the provisioned one is used. @defaultValue true */
  allowUserAccounts: z.boolean().optional(),
  /** Recording policy of the provisioned account. @defaultValue 'off' */
  recording: RecordingPolicySchema.optional(),
  /** Consent beep of the provisioned account. @defaultValue false */
  recordingNotice: z.boolean().optional(),
  /** Fixes the age limit of recordings, in days (0 keeps them forever). */
  recordingRetentionDays: z.number().int().min(0).max(3650).optional(),
  /** Fixes the size limit of all recordings together, in MB. */
  recordingMaxMb: z.number().int().min(1).max(1_000_000).optional(),
  /** How the provisioned account's calls send keypad digits (the PBX decides). @defaultValue 'rfc4733' */
  dtmfMethod: DtmfMethodSchema.optional(),
  /** Fixes the after-call rules it names; each rule is read (and an invalid one dropped) on its own. */
  afterCall: AfterCallPolicySchema.optional(),
});
export type ManagedPolicy = z.infer<typeof ManagedPolicySchema>;

/**
 * Reads raw managed storage into a policy, keeping every key that is valid on its own. A nested
 * object (`afterCall`) is read key by key too, so one bad rule does not void the others.
 */
export function parseManagedPolicy(raw: unknown): ManagedPolicy {
  return pickValid(ManagedPolicySchema.shape, raw) as ManagedPolicy;
}

function pickValid(shape: Readonly<Record<string, z.ZodType>>, raw: unknown): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return picked;
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) continue;
    const schema = shape[key]!;
    const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
    if (inner instanceof z.ZodObject) {
      const nested = pickValid(inner.shape, value);
      // An object with nothing valid in it fixes nothing.
      if (Object.keys(nested).length > 0) picked[key] = nested;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success && parsed.data !== undefined) picked[key] = parsed.data;
  }
  return picked;
}
