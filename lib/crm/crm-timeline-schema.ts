import { z } from 'zod';
import type { CrmTimelineItem } from '@/lib/crm/crm-adapter';

/** A CRM timeline item as it crosses to the panel ({@link CrmTimelineItem}). */
export const CrmTimelineItemSchema = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.enum(['call', 'note', 'email', 'chat', 'sms', 'task', 'event']),
  direction: z.enum(['inbound', 'outbound']).optional(),
  what: z.enum([
    'call',
    'email',
    'chat-message',
    'sms',
    'note',
    'task-added',
    'task-completed',
    'lead-status-changed',
    'conversation-opened',
    'conversation-closed',
    'service-message',
    'attachment',
    'other',
  ]),
  type: z.string().optional(),
  text: z.string(),
}) satisfies z.ZodType<CrmTimelineItem>;

/**
 * A number's timeline in the connected CRM: its record's items, newest first; `unavailable` when the
 * CRM did not answer (the panel keeps the local history and says so).
 */
export const CrmTimelineSchema = z.object({
  items: z.array(CrmTimelineItemSchema),
  unavailable: z.boolean().optional(),
});
export type CrmTimeline = z.infer<typeof CrmTimelineSchema>;
