import type { AppDb } from '@/lib/db/app-db';

/** Longer than any local day (25 hours at a transition), to bound the index read. */
const LONGEST_DAY_MS = 26 * 3_600_000;

/**
 * Drops the day totals (`dayTotals`) of the days the calls that started at `startedAts` fall on,
 * whatever zone each row was counted in; the next analytics read builds them again. Call it inside
 * the transaction that writes those calls (it must include `db.dayTotals`), for every finished call
 * written or changed, so totals and calls never disagree, even if the worker stops in between.
 *
 * The callback of a missed call changes the missed call's row, so its (earlier) day goes too.
 */
export async function dropDayTotalsAt(db: AppDb, startedAts: Iterable<number>): Promise<void> {
  for (const at of new Set(startedAts)) {
    // The row of instant `at` ends after it, at most a day later, and starts at or before it.
    await db.dayTotals
      .where('end')
      .between(at, at + LONGEST_DAY_MS, false, true)
      .filter((row) => row.start <= at)
      .delete();
  }
}
