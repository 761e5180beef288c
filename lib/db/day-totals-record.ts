import type { CallOutcome } from '@/lib/db/call-record';

/**
 * Totals of the finished calls that started on one local day (schema v3): what analytics of a
 * date range would otherwise have to read every call for. A year of history is 365 of these rows
 * instead of 100,000 calls.
 *
 * Derived data, kept correct by dropping: whatever writes a call that is (or was) finished drops
 * the row of the day that call started on, inside the same transaction
 * (`lib/history/stale-day-totals.ts`), and the next analytics read builds it again from the calls.
 * A row carries the time zone it was counted in and its span as instants, so a writer can find it
 * without knowing the zone, and a reader in another zone sees that it does not fit.
 *
 * Numbers are stored as parallel arrays rather than one object each: a day holds hundreds of them,
 * and IndexedDB reads a few arrays of plain values much faster than hundreds of small objects.
 */
export interface DayTotalsRecord {
  /** The local day, `YYYY-MM-DD` in {@link timeZone}: key order is day order. */
  id: string;
  /** IANA time zone the day was counted in. */
  timeZone: string;
  /** First instant of the day (epoch ms). */
  start: number;
  /** First instant of the next day (epoch ms); indexed, to find the row of an instant. */
  end: number;
  /** Counts over the day's finished calls (as `CallCounts` in `lib/history/analytics.ts`). */
  totals: DayCounts;
  /** Finished calls per outcome. */
  outcomes: Record<CallOutcome, number>;
  /** Sum and count of the ring times of answered calls whose ring time is known. */
  ringSumMs: number;
  ringCount: number;
  /**
   * Counts per local hour of day, flattened: hour `h` holds calls, inbound, outbound, answered,
   * missed and talk ms at `h * 6` to `h * 6 + 5` (see {@link HOUR_FIELDS}).
   */
  hours: number[];
  /** The day's missed calls that were called back (their `callbackAt`): how many, total and worst delay. */
  callbacks: { calledBack: number; sumMs: number; worstMs: number };
  /** Per number, in order of first call that day: key, calls, talk time, latest name ('' for none). */
  numbers: { keys: string[]; calls: number[]; talkMs: number[]; names: string[] };
}

/** Counts over a set of calls; the fields of `CallCounts`. */
export interface DayCounts {
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  talkMs: number;
}

/** The order of the per-hour fields in {@link DayTotalsRecord.hours}. */
export const HOUR_FIELDS = ['calls', 'inbound', 'outbound', 'answered', 'missed', 'talkMs'] as const satisfies readonly (keyof DayCounts)[];
