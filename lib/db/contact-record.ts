import { z } from 'zod';
import { CrmCardSchema } from '@/lib/crm/crm-card-schema';

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
  /** E-mail address (local contacts). Not indexed: no schema version needed. */
  email: z.string().optional(),
  /** Free text the agent keeps about the contact (local contacts). */
  note: z.string().optional(),
  /**
   * CRM records only: when the card was fetched from the CRM (epoch ms), for the cache's
   * time-to-live; the lookup service refreshes a card older than that in the background.
   */
  fetchedAt: z.number().optional(),
  /** CRM records only: the card as the CRM gave it (deals, responsible user, address). */
  card: CrmCardSchema.optional(),
});
export type ContactRecord = z.infer<typeof ContactRecordSchema>;
