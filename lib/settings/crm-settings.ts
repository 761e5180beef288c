import { z } from 'zod';
import { parseAmoHost } from '@/lib/crm/amocrm/amo-host';

/**
 * The CRM connection. Secrets (the token, OAuth client secret and tokens) live only in the extension's
 * own storage and are read by the background (which calls the CRM) and extension pages — never by
 * content scripts, which get no settings at all.
 */

/** A long-lived token of an amoCRM private integration. */
export const AmoTokenAuthSchema = z.object({
  type: z.literal('token'),
  token: z.string().trim().min(1, { message: 'settings.error.required' }).max(4096, { message: 'settings.error.tooLong' }),
});

/** An amoCRM OAuth 2.0 integration; `expiresAt` is epoch ms. */
export const AmoOAuthSchema = z.object({
  type: z.literal('oauth'),
  clientId: z.string().trim().min(1),
  clientSecret: z.string().min(1),
  redirectUri: z.string().trim(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number().int().nonnegative(),
});

/** One amoCRM (Kommo) account: its host on amocrm.ru, amocrm.com or kommo.com, and how we sign in. */
export const AmoCrmConnectionSchema = z.object({
  host: z
    .string()
    .trim()
    .refine((host) => parseAmoHost(host) === host.toLowerCase(), { message: 'settings.error.invalid' }),
  auth: z.discriminatedUnion('type', [AmoTokenAuthSchema, AmoOAuthSchema]),
});
export type AmoCrmConnection = z.infer<typeof AmoCrmConnectionSchema>;

/** Which CRM the softphone works with; `none` until the user connects one. */
export const CrmSettingsSchema = z.object({
  kind: z.enum(['none', 'amocrm']).default('none'),
  amocrm: AmoCrmConnectionSchema.optional(),
});
export type CrmSettings = z.infer<typeof CrmSettingsSchema>;

export const DEFAULT_CRM_SETTINGS: CrmSettings = CrmSettingsSchema.parse({});
