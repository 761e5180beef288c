import { z } from 'zod';

/** Longest note the panel accepts: a few paragraphs of after-call notes, well within a CRM note field. */
export const NOTE_MAX_LENGTH = 4000;

/**
 * A note about one call or about a number (a contact), edited in place. A note about a call also
 * carries the call's number, so it shows in that number's timeline.
 */
export const NoteRecordSchema = z.object({
  /** Time-ordered by creation (`lib/db/time-ordered-id.ts`). */
  id: z.string().min(1),
  /** The call's history id when the note is about a call. */
  callId: z.string().optional(),
  numberKey: z.string(),
  contactId: z.string().optional(),
  text: z.string(),
  /** Search words of {@link text} (schema v2). */
  words: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type NoteRecord = z.infer<typeof NoteRecordSchema>;
