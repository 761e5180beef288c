import { z } from 'zod';
import {
  DialFormatSchema,
  DtmfMethodSchema,
  IceServerSchema,
  RecordingPolicySchema,
  SettingsSchema,
} from '@/lib/settings/settings-schema';

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
});
export type ManagedPolicy = z.infer<typeof ManagedPolicySchema>;

/** Reads raw managed storage into a policy, keeping every key that is valid on its own. */
export function parseManagedPolicy(raw: unknown): ManagedPolicy {
  if (typeof raw !== 'object' || raw === null) return {};
  const policy: Record<string, unknown> = {};
  const shape = ManagedPolicySchema.shape;
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) continue;
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success && parsed.data !== undefined) policy[key] = parsed.data;
  }
  return policy as ManagedPolicy;
}
