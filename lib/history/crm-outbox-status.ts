import { z } from 'zod';

/**
 * What the panel shows about the CRM outbox ("3 calls not yet logged to amoCRM — retrying in 40 s",
 * or why it is paused), as the background answers `getCrmOutboxStatus`.
 */
export const CrmOutboxStatusSchema = z.object({
  crm: z.enum(['local', 'amocrm']),
  /** Finished calls not yet accepted by the CRM. */
  pending: z.number().int().nonnegative(),
  /** When the next attempt is due (epoch ms); absent when nothing waits or it is due now. */
  nextAttemptAt: z.number().optional(),
  /** Set while the outbox waits for the CRM connection to change (401 / 403). */
  paused: z.object({ kind: z.enum(['auth', 'forbidden']), message: z.string() }).optional(),
  /**
   * Of the pending calls, those still in their wrap-up (the agent may still write the note; they go
   * when it ends or at *Done*): not a send under way, and worded as such.
   */
  wrapUp: z.number().int().positive().optional(),
  /** The last error of the oldest pending call (the one the queue waits on). */
  lastError: z.string().optional(),
});
export type CrmOutboxStatus = z.infer<typeof CrmOutboxStatusSchema>;
