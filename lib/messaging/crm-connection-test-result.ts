import { z } from 'zod';
import { CRM_ERROR_KINDS } from '@/lib/crm/crm-adapter';

/** Why a CRM connection test failed: a CRM error kind, or the browser's host permission missing. */
export const CrmTestFailureSchema = z.enum([...CRM_ERROR_KINDS, 'permission']);
export type CrmTestFailure = z.infer<typeof CrmTestFailureSchema>;

/** What "Test connection" of the CRM section answers: who the connection acts as, or why it failed. */
export const CrmConnectionTestResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), accountName: z.string(), userName: z.string() }),
  z.object({ ok: z.literal(false), failure: CrmTestFailureSchema, detail: z.string().optional() }),
]);
export type CrmConnectionTestResult = z.infer<typeof CrmConnectionTestResultSchema>;
