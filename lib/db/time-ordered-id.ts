/**
 * Primary keys of the history tables start with the row's time, so **primary-key order is time
 * order**. That is what makes the hot queries cheap:
 *
 * - a history page is a reverse range read of the primary key (no sort, no extra index);
 * - a search that finds matching ids through a `words` index (`getAllKeys`, keys only) can sort
 *   and cut them to the newest N *before* loading a single row;
 * - compound indexes `[numberKey+id]` keep one number's rows in time order and give every paged
 *   query an unambiguous cursor (the last id seen), even when two rows share a millisecond.
 *
 * The form is `<epoch ms, 13 digits>-<unique part>`, e.g. `1718000000000-5f0c…`. Thirteen digits
 * last until the year 2286; they are zero-padded so that string order equals numeric order.
 */
const TIME_DIGITS = 13;
const LARGEST_TIME = 10 ** TIME_DIGITS - 1;

/** The time part of an id at `at` (epoch ms); also the smallest possible id at that time. */
export function timePrefix(at: number): string {
  if (!Number.isFinite(at)) throw new RangeError(`not a time: ${at}`);
  const ms = Math.min(LARGEST_TIME, Math.max(0, Math.floor(at)));
  return String(ms).padStart(TIME_DIGITS, '0');
}

/** An id for a row of time `at`; `unique` tells apart rows of the same millisecond. */
export function timeOrderedId(at: number, unique: string): string {
  return `${timePrefix(at)}-${unique}`;
}

/** The time an id was made for, or `undefined` if `id` is not time-ordered. */
export function timeOfId(id: string): number | undefined {
  const match = /^(\d{13})-/.exec(id);
  return match ? Number(match[1]) : undefined;
}
