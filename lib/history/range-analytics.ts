import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { DayTotalsRecord } from '@/lib/db/day-totals-record';
import type { AnalyticsOptions, CallAnalytics } from '@/lib/history/analytics';
import { buildDayTotals, daySpans, mergeDayTotals, type DaySpan } from '@/lib/history/day-totals';
import { createLocalClock, dayName, localDayOf } from '@/lib/history/local-clock';

/**
 * Analytics of `[from, to)` from the day totals: the whole local days of the range are read as one
 * `dayTotals` row each (a year is 365 rows, whatever the number of calls), and only the partial
 * days at the edges are counted from their calls. A whole day without a fitting row (never built,
 * dropped by a writer, or counted in another time zone) is built from its calls and stored, in the
 * same transaction, so no writer can slip in between the read and the write.
 *
 * Gives what `analyzeCalls` (`analytics.ts`) gives over the calls of the range (`day-totals.test.ts` checks it
 * on random histories).
 *
 * @throws RangeError for an unknown time zone.
 */
export async function loadRangeAnalytics(db: AppDb, options: AnalyticsOptions): Promise<CallAnalytics> {
  const { from, to, timeZone } = options;
  const clock = createLocalClock(timeZone);
  if (!(to > from)) return mergeDayTotals([], options);
  const spans = daySpans(clock, localDayOf(clock, from), localDayOf(clock, to - 1));
  const isWhole = (span: DaySpan): boolean => span.start >= from && span.end <= to;
  const whole = spans.filter(isWhole);

  return db.transaction('rw', db.calls, db.dayTotals, async () => {
    const rows = new Map<number, DayTotalsRecord>();
    if (whole.length > 0) {
      const stored = await db.dayTotals
        .where(':id')
        .between(dayName(whole[0]!.day), dayName(whole.at(-1)!.day), true, true)
        .toArray();
      const byId = new Map(stored.map((row) => [row.id, row]));
      const missing: DaySpan[] = [];
      for (const span of whole) {
        const row = byId.get(dayName(span.day));
        // Same zone and same instants: a time zone database update can move a day's span too.
        if (row?.timeZone === timeZone && row.start === span.start && row.end === span.end) rows.set(span.day, row);
        else missing.push(span);
      }
      for (const run of consecutiveRuns(missing)) {
        const built = buildDayTotals(await callsBetween(db, run[0]!.start, run.at(-1)!.end), clock, run);
        await db.dayTotals.bulkPut(built);
        built.forEach((row, i) => rows.set(run[i]!.day, row));
      }
    }
    for (const span of spans) {
      if (isWhole(span)) continue;
      const calls = await callsBetween(db, Math.max(from, span.start), Math.min(to, span.end));
      rows.set(span.day, buildDayTotals(calls, clock, [span])[0]!);
    }
    return mergeDayTotals(
      spans.map((span) => rows.get(span.day)!),
      options,
    );
  });
}

/** Calls that started in `[from, to)`, in start order. */
function callsBetween(db: AppDb, from: number, to: number): Promise<CallRecord[]> {
  return db.calls.where('startedAt').between(from, to, true, false).toArray();
}

/** `spans` (ascending) cut into runs of consecutive days, each read with one range query. */
function consecutiveRuns(spans: readonly DaySpan[]): DaySpan[][] {
  const runs: DaySpan[][] = [];
  for (const span of spans) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.day === span.day - 1) run.push(span);
    else runs.push([span]);
  }
  return runs;
}
