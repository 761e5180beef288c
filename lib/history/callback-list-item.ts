import { storage } from '#imports';
import { z } from 'zod';

/** One open callback as the panel lists it. */
export const CallbackEntrySchema = z.object({
  /** The task id (`callback:<history id of the missed call>`): what *Done* names. */
  id: z.string().min(1),
  numberKey: z.string(),
  /** The caller's name, when known. */
  remoteName: z.string().optional(),
  /** The number as it was presented; what *Call* dials. */
  dialTarget: z.string().optional(),
  /** When the callback is due (epoch ms): the SLA the timer counts down to. */
  dueAt: z.number(),
  /** When the call that opened the task was missed. */
  createdAt: z.number(),
});
export type CallbackEntry = z.infer<typeof CallbackEntrySchema>;

/** The open callbacks, soonest due first. */
export const CallbackListSchema = z.object({ entries: z.array(CallbackEntrySchema) });
export type CallbackList = z.infer<typeof CallbackListSchema>;

export const EMPTY_CALLBACK_LIST: CallbackList = { entries: [] };

/**
 * The open callbacks, listed by the background from the `tasks` table after every change and at
 * every worker start. In session storage: the panel reads it; the database stays the truth.
 */
export const callbackListItem = storage.defineItem<CallbackList>('session:callbackList', {
  fallback: EMPTY_CALLBACK_LIST,
});
