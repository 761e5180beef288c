import type { AppDb } from '@/lib/db/app-db';
import type { CallOutcome, CallRecord } from '@/lib/db/call-record';
import { createLocalClock, dayName } from '@/lib/history/local-clock';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface AnalyticsOptions {
  /** Start of the range (epoch ms, included). */
  from: number;
  /** End of the range (epoch ms, excluded). */
  to: number;
  /** IANA time zone that days and hours are counted in, e.g. `Europe/Moscow`. */
  timeZone: string;
  /** How many numbers the top lists hold. @defaultValue 10 */
  top?: number;
}

/** Counts over a set of calls. */
export interface CallCounts {
  calls: number;
  inbound: number;
  outbound: number;
  /** Calls somebody picked up (including answered calls later interrupted). */
  answered: number;
  /** Inbound calls with outcome `missed`. */
  missed: number;
  /** Sum of talk time. */
  talkMs: number;
}

export interface DayStats extends CallCounts {
  /** `YYYY-MM-DD` in the analytics time zone. */
  day: string;
}

export interface HourStats extends CallCounts {
  /** Local hour of day the calls started in, 0–23. */
  hour: number;
}

export interface NumberStats {
  numberKey: string;
  /** The latest name the number presented. */
  name?: string;
  calls: number;
  talkMs: number;
}

/**
 * How fast missed calls were called back. The callback of a missed inbound call is the first
 * **outbound** call to the same number (same number key, i.e. E.164) started after it, whether it
 * was answered or not: what counts is that the agent tried. The delay runs from the end of the
 * missed call (when it stopped ringing) to the start of the callback.
 */
export interface CallbackStats {
  /** Missed inbound calls in the range. */
  missed: number;
  calledBack: number;
  neverCalledBack: number;
  /** Mean delay over the missed calls that were called back (ms, rounded); absent if none. */
  averageMs?: number;
  /** Longest delay (ms); absent if none. */
  worstMs?: number;
}

export interface CallAnalytics extends CallCounts {
  from: number;
  to: number;
  timeZone: string;
  /** Finished calls per outcome. */
  outcomes: Record<CallOutcome, number>;
  /** Mean time to answer over answered calls whose ring time is known (ms, rounded). */
  averageRingMs?: number;
  /** Mean talk time over answered calls (ms, rounded). */
  averageTalkMs?: number;
  /** Every local day of the range, oldest first, days without calls included. */
  byDay: DayStats[];
  /** Hours 0–23 of the day, summed over the range. */
  byHour: HourStats[];
  callbacks: CallbackStats;
  /** Most calls first (then most talk time, then number). */
  topByCalls: NumberStats[];
  /** Most talk time first (numbers with talk time only). */
  topByTalk: NumberStats[];
}

const DEFAULT_TOP = 10;

/**
 * Analytics of the finished calls that started in `[from, to)`: a pure function over rows, so it
 * can be checked by hand. Calls still in progress, and calls outside the range, are left out of
 * the counts. A missed call's callback is the first later outbound call to its number among all
 * `calls` given (in the range or not), or its stored `callbackAt` (linked when the callback was
 * written, possibly after the range), whichever is earlier.
 */
export function analyzeCalls(calls: readonly CallRecord[], options: AnalyticsOptions): CallAnalytics {
  const { from, to, timeZone } = options;
  const clock = createLocalClock(timeZone);
  const totals = emptyCounts();
  const outcomes: Record<CallOutcome, number> = {
    answered: 0,
    missed: 0,
    declined: 0,
    busy: 0,
    failed: 0,
    cancelled: 0,
    interrupted: 0,
  };
  // Days are kept by day number in an array over the range: the hot loop does no string work.
  const firstDay = Math.floor(clock.local(from) / DAY_MS);
  const lastDay = to > from ? Math.floor(clock.local(to - 1) / DAY_MS) : firstDay - 1;
  const days: DayStats[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) days.push({ day: dayName(day), ...emptyCounts() });
  const hours: HourStats[] = Array.from({ length: 24 }, (_, hour) => ({ hour, ...emptyCounts() }));
  const numbers = new Map<string, NumberStats & { nameAt: number }>();
  const finished: CallRecord[] = [];
  let ringSum = 0;
  let ringCount = 0;

  for (const call of calls) {
    if (call.startedAt < from || call.startedAt >= to || call.outcome === undefined) continue;
    finished.push(call);
    const local = clock.local(call.startedAt);
    count(totals, call);
    count(days[Math.floor(local / DAY_MS) - firstDay]!, call);
    count(hours[Math.floor(local / HOUR_MS) % 24]!, call);
    outcomes[call.outcome] += 1;
    if (call.answeredAt !== undefined && call.ringMs !== undefined) {
      ringSum += call.ringMs;
      ringCount += 1;
    }
    let stats = numbers.get(call.numberKey);
    if (!stats) numbers.set(call.numberKey, (stats = { numberKey: call.numberKey, calls: 0, talkMs: 0, nameAt: -Infinity }));
    stats.calls += 1;
    stats.talkMs += call.talkMs ?? 0;
    if (call.remoteName && call.startedAt >= stats.nameAt) {
      stats.name = call.remoteName;
      stats.nameAt = call.startedAt;
    }
  }

  const top = options.top ?? DEFAULT_TOP;
  const ranked = [...numbers.values()].map(({ nameAt: _nameAt, ...stats }) => stats);
  const byKey = (a: NumberStats, b: NumberStats): number => (a.numberKey < b.numberKey ? -1 : 1);
  return {
    from,
    to,
    timeZone,
    ...totals,
    outcomes,
    ...(ringCount > 0 ? { averageRingMs: Math.round(ringSum / ringCount) } : {}),
    ...(totals.answered > 0 ? { averageTalkMs: Math.round(totals.talkMs / totals.answered) } : {}),
    byDay: days,
    byHour: hours,
    callbacks: callbackStats(finished, calls),
    topByCalls: [...ranked].sort((a, b) => b.calls - a.calls || b.talkMs - a.talkMs || byKey(a, b)).slice(0, top),
    topByTalk: ranked
      .filter((stats) => stats.talkMs > 0)
      .sort((a, b) => b.talkMs - a.talkMs || b.calls - a.calls || byKey(a, b))
      .slice(0, top),
  };
}

/**
 * Analytics of a range read from the database: one `startedAt` index range read. Callbacks after
 * the range come from `callbackAt`, so nothing beyond the range is read.
 */
export async function loadCallAnalytics(db: AppDb, options: AnalyticsOptions): Promise<CallAnalytics> {
  const calls = await db.calls.where('startedAt').between(options.from, options.to, true, false).toArray();
  return analyzeCalls(calls, options);
}

function callbackStats(finished: readonly CallRecord[], candidates: readonly CallRecord[]): CallbackStats {
  const outboundStarts = new Map<string, number[]>();
  for (const call of candidates) {
    if (call.direction !== 'outbound') continue;
    const starts = outboundStarts.get(call.numberKey) ?? [];
    starts.push(call.startedAt);
    outboundStarts.set(call.numberKey, starts);
  }
  for (const starts of outboundStarts.values()) starts.sort((a, b) => a - b);

  const missed = finished.filter((call) => call.outcome === 'missed');
  const delays: number[] = [];
  for (const call of missed) {
    const seen = firstAfter(outboundStarts.get(call.numberKey) ?? [], call.startedAt);
    const callbackAt = Math.min(seen ?? Infinity, call.callbackAt ?? Infinity);
    if (callbackAt !== Infinity) delays.push(Math.max(0, callbackAt - (call.endedAt ?? call.startedAt)));
  }
  return {
    missed: missed.length,
    calledBack: delays.length,
    neverCalledBack: missed.length - delays.length,
    ...(delays.length > 0
      ? {
          averageMs: Math.round(delays.reduce((sum, delay) => sum + delay, 0) / delays.length),
          worstMs: delays.reduce((worst, delay) => Math.max(worst, delay), 0),
        }
      : {}),
  };
}

/** The first value of an ascending list greater than `after` (binary search). */
function firstAfter(sorted: readonly number[], after: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= after) low = middle + 1;
    else high = middle;
  }
  return sorted[low];
}

function emptyCounts(): CallCounts {
  return { calls: 0, inbound: 0, outbound: 0, answered: 0, missed: 0, talkMs: 0 };
}

function count(counts: CallCounts, call: CallRecord): void {
  counts.calls += 1;
  counts[call.direction] += 1;
  if (call.answeredAt !== undefined) counts.answered += 1;
  if (call.outcome === 'missed') counts.missed += 1;
  counts.talkMs += call.talkMs ?? 0;
}
