import { z } from 'zod';

/**
 * One row per number ever called, heard from or messaged (schema v2), keyed by the number key. It exists
 * for search: a digit substring cannot use an index, but the directory's primary keys can be read
 * in one `getAllKeys` (tens of thousands of short strings) and scanned in memory, where scanning
 * 100,000 call rows could not. Derived data: rebuilt by the v2 upgrade and by backup import.
 */
export const NumberEntrySchema = z.object({
  /** The number key (`CallRecord.numberKey`). */
  id: z.string().min(1),
  /** Start of the latest call with this number (or time of the latest message, see `message-journal.ts`). */
  lastAt: z.number(),
  /** The latest name the far end presented. */
  name: z.string().optional(),
});
export type NumberEntry = z.infer<typeof NumberEntrySchema>;

/**
 * The directory row for `entry`'s number after a call with it (`numberKey`, `startedAt`,
 * `remoteName`); `undefined` when the call changes nothing. The latest call's start wins, and so
 * does the name of the latest call that had one; the order calls come in does not matter except
 * for names of calls starting in the same millisecond.
 */
export function mergeNumberEntry(
  entry: NumberEntry | undefined,
  call: { numberKey: string; startedAt: number; remoteName?: string | undefined },
): NumberEntry | undefined {
  if (!entry) {
    return { id: call.numberKey, lastAt: call.startedAt, ...(call.remoteName ? { name: call.remoteName } : {}) };
  }
  if (call.startedAt < entry.lastAt) {
    return entry.name === undefined && call.remoteName ? { ...entry, name: call.remoteName } : undefined;
  }
  const name = call.remoteName ?? entry.name;
  if (call.startedAt === entry.lastAt && name === entry.name) return undefined;
  return { id: entry.id, lastAt: call.startedAt, ...(name ? { name } : {}) };
}
