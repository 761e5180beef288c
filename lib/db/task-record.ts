import { z } from 'zod';

/** A follow-up for the agent ("call back tomorrow"), about a call, a number or a contact. */
export const TaskRecordSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: z.enum(['open', 'done']),
  dueAt: z.number().optional(),
  callId: z.string().optional(),
  numberKey: z.string().optional(),
  contactId: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  doneAt: z.number().optional(),
  /** `callback`: opened by a missed call (after-call automation); absent: a task the agent wrote. */
  kind: z.enum(['callback']).optional(),
  /** What *Call* dials (the missed caller's number as presented). */
  dialTarget: z.string().optional(),
  /** The caller's name when known, for the list and the reminder. */
  remoteName: z.string().optional(),
  /** When the due-time reminder was shown, so a worker restart does not show it again. */
  remindedAt: z.number().optional(),
  /** How the task was closed: a callback that connected, or the agent's *Done*. */
  doneBy: z.enum(['callback', 'agent']).optional(),
  /** The CRM's id of the same task (the callback task the CRM outbox created). */
  crmTaskId: z.string().optional(),
  /** When the CRM task was marked complete too, after this one was closed. */
  crmCompletedAt: z.number().optional(),
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;
