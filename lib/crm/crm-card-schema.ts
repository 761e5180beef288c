import { z } from 'zod';
import type { CrmCard, CrmMatch } from '@/lib/crm/crm-adapter';

/** A {@link CrmEntityRef} as zod reads it (messages to the panel, cached cards in the database). */
export const CrmEntityRefSchema = z.object({
  crm: z.enum(['local', 'amocrm']),
  kind: z.enum(['contact', 'company', 'lead']),
  id: z.string().min(1),
});

/** A {@link CrmCard} as zod reads it: the caller's card travels to the panel and sits in the cache. */
export const CrmCardSchema = z.object({
  ref: CrmEntityRefSchema,
  name: z.string(),
  company: z.string().optional(),
  phones: z.array(z.string()),
  responsibleUser: z.object({ id: z.string(), name: z.string() }).optional(),
  openDeals: z.array(
    z.object({
      ref: CrmEntityRefSchema,
      name: z.string(),
      pipeline: z.string().optional(),
      stage: z.string().optional(),
      price: z.number().optional(),
    }),
  ),
  lastInteractionAt: z.number().optional(),
  url: z.string().optional(),
}) satisfies z.ZodType<CrmCard>;

/** A {@link CrmMatch} as zod reads it. */
export const CrmMatchSchema = z.object({
  card: CrmCardSchema,
  matchedPhone: z.string(),
}) satisfies z.ZodType<CrmMatch>;
