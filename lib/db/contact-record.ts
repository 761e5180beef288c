import { z } from 'zod';

/** A contact as the CRM (or the agent) knows it, cached for caller names and timelines. */
export const ContactRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  company: z.string().optional(),
  /** The contact's numbers as number keys (E.164 where possible); multiEntry index `*numbers`. */
  numbers: z.array(z.string()),
  source: z.enum(['crm', 'local']),
  /** The CRM's id of the contact. */
  externalId: z.string().optional(),
  updatedAt: z.number(),
});
export type ContactRecord = z.infer<typeof ContactRecordSchema>;
