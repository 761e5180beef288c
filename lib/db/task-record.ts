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
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;
