import { storage } from '#imports';
import { z } from 'zod';

/** One entry of the missed-calls list: the missed calls of one number still to handle. */
export const MissedEntrySchema = z.object({
  /** The number's key (`numberKeyOf`): what *Done* and the timeline use. */
  numberKey: z.string().min(1),
  /** How many calls from this number are to handle. */
  count: z.number().int().positive(),
  /** When the newest of them started (epoch ms). */
  lastAt: z.number(),
  /** The history id of the newest of them. */
  lastId: z.string().min(1),
  /** The number as the newest call presented it. */
  remoteRaw: z.string(),
  remoteE164: z.string().optional(),
  remoteName: z.string().optional(),
  /** How many of them were refused under Do not disturb (they never rang). */
  refused: z.number().int().nonnegative(),
  /** How many of them heard busy because two calls were up already; absent in older summaries. */
  busy: z.number().int().nonnegative().default(0),
});
export type MissedEntry = z.infer<typeof MissedEntrySchema>;

/** The missed calls to handle, as the background last counted them. */
export const MissedCallsSummarySchema = z.object({
  /** Missed calls to handle in all: the badge's number. */
  count: z.number().int().nonnegative(),
  /** Older missed calls were not looked at, so `count` is a floor. */
  more: z.boolean(),
  /** Newest first, one per number (at most {@link MAX_MISSED_ENTRIES}). */
  entries: z.array(MissedEntrySchema),
});
export type MissedCallsSummary = z.infer<typeof MissedCallsSummarySchema>;

/** Most entries the list holds; a longer tail is in the History tab's Missed filter. */
export const MAX_MISSED_ENTRIES = 50;

export const EMPTY_MISSED_CALLS: MissedCallsSummary = { count: 0, more: false, entries: [] };

/**
 * The missed calls to handle, counted from the database by the background after every change
 * (a call missed, a callback connected, *Done*) and at every worker start. In session storage: the
 * panel and the badge read it, and the database stays the truth it is rebuilt from.
 */
export const missedCallsItem = storage.defineItem<MissedCallsSummary>('session:missedCalls', {
  fallback: EMPTY_MISSED_CALLS,
});

/** What *Call back* dials for an entry: its E.164 form when known, else the number as presented. */
export function missedDialTarget(entry: Pick<MissedEntry, 'remoteE164' | 'remoteRaw'>): string | undefined {
  return entry.remoteE164 || entry.remoteRaw || undefined;
}
